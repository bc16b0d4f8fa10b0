"""Replicate predictions: `llmtui ask` end to end, cancel on abandon, and the adapter directly."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.providers.base import (
    ChatMessage,
    ChatRequest,
    ErrorKind,
    KeyStatus,
    StreamDone,
    StreamError,
    TextDelta,
    UsageReport,
)
from llmtui.providers.replicate import ReplicateProvider, render_prompt
from tests.fakes.replicate_fake import ReplicateFake, sse
from tests.fakes.server import FakeServer, Request, Response
from tests.providers.helpers import ask, ask_json, collect, spec_for, split

KEY = "r8_test"
ENV = {"REPLICATE_API_TOKEN": KEY}
TEXT = "Once upon a time\nthere was"


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeServer, ReplicateFake]]:
    fake = ReplicateFake(expected_key=KEY)
    server = FakeServer(fake).start()
    fake.url = server.url
    yield server, fake
    server.stop()


@pytest.fixture
def configured(write_config, fake) -> FakeServer:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.replicate]\nbase_url = "{server.url}"\n\n[network]\nmax_retries = 0\n')
    return server


def test_ask_official_model(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", "replicate/meta/meta-llama-3-8b-instruct", "-s", "Be brief.",
                          "--max-tokens", "99", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == TEXT  # the two `data:` lines of one event joined by \n
    assert data["finish_reason"] == "stop"
    assert data["usage"] == {"input_tokens": 12, "output_tokens": 7, "cached_input_tokens": 0,
                             "estimated": False, "reasoning_tokens": None,
                             "reasoning_estimated": False}
    create, stream, get = configured.requests[before:before + 3]
    assert (create.method, create.path) == ("POST", "/v1/models/meta/meta-llama-3-8b-instruct/predictions")
    assert create.headers["authorization"] == f"Bearer {KEY}"
    assert create.json() == {"input": {"prompt": "hi", "system_prompt": "Be brief.", "max_tokens": 99},
                             "stream": True}
    assert stream.method == "GET" and stream.path.startswith("/stream/")
    assert stream.headers["accept"] == "text/event-stream"
    assert (get.method, get.path) == ("GET", f"/v1/predictions/{stream.path.split('/')[2]}")
    assert not [r for r in configured.requests[before:] if r.path.endswith("/cancel")]  # it finished


def test_ask_with_version_uses_predictions_endpoint(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", "replicate/acme/llm:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                          "hi", env=ENV)
    assert code == 0, data
    create = configured.requests[before]
    assert create.path == "/v1/predictions"
    assert create.json()["version"] == "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


@pytest.mark.parametrize(
    ("model", "kind", "needle"),
    [
        ("acme/429", "rate_limit", "HTTP 429: Request was throttled. Your rate limit resets in ~30s."),
        ("acme/500", "server", "HTTP 500: boom"),
        ("acme/no-stream", "bad_request", "does not support streaming"),
    ],
)
def test_errors_before_text(configured: FakeServer, model: str, kind: str, needle: str) -> None:
    code, data = ask_json("-m", f"replicate/{model}", "hi", env=ENV)
    assert code == 1
    assert data["error"]["kind"] == kind
    assert needle in data["error"]["message"]


def test_bad_key(configured: FakeServer) -> None:
    code, data = ask_json("-m", "replicate/acme/ok", "hi", env={"REPLICATE_API_TOKEN": "r8_wrong_0000"})
    assert code == 1
    assert data["error"]["kind"] == "auth"
    assert "valid authentication token" in data["error"]["message"]
    assert "r8_wrong_0000" not in str(data)


@pytest.mark.parametrize(
    ("model", "kind", "needle"),
    [
        ("acme/error", "server", "CUDA out of memory"),
        ("acme/canceled", "cancelled", "canceled"),
        ("acme/drop", "network", ""),
    ],
)
def test_errors_midstream_keep_text(configured: FakeServer, model: str, kind: str, needle: str) -> None:
    code, data = ask_json("-m", f"replicate/{model}", "hi", env=ENV)
    assert code == 1
    assert data["text"].startswith("Once upon")
    assert data["error"]["kind"] == kind
    assert needle in data["error"]["message"]


def test_429_then_success_gives_one_answer(write_config, fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.replicate]\nbase_url = "{server.url}"\n')
    code, data = ask_json("-m", "replicate/acme/429-once", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == TEXT


def test_time_billed_model_reports_predict_time(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    events = collect(ReplicateProvider, spec_for("replicate", server.url), KEY, ask("acme/no-tokens"))
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert usage.predict_time_s == 1.25
    assert usage.output_tokens > 0  # estimated from the text, since the model reports none
    assert events[-1] == StreamDone("stop")


def _cancel_requests(server: FakeServer) -> list[Request]:
    return [r for r in server.requests if r.method == "POST" and r.path.endswith("/cancel")]


def test_cancelling_the_consumer_cancels_the_prediction(fake) -> None:  # type: ignore[no-untyped-def]
    server, replicate = fake
    before = len(_cancel_requests(server))

    async def go() -> list[object]:
        got: list[object] = []
        first = asyncio.Event()
        async with httpx.AsyncClient(timeout=10) as client:
            provider = ReplicateProvider(spec_for("replicate", server.url), client, KEY)

            async def consume() -> None:
                async for event in provider.stream(ask("acme/slow")):
                    got.append(event)
                    if isinstance(event, TextDelta):
                        first.set()

            task = asyncio.create_task(consume())
            await asyncio.wait_for(first.wait(), 5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        return got

    got = asyncio.run(go())
    assert [e.text for e in got if isinstance(e, TextDelta)] == ["Once upon"]
    cancels = _cancel_requests(server)[before:]
    assert len(cancels) == 1
    assert cancels[0].headers["authorization"] == f"Bearer {KEY}"
    assert replicate.predictions[cancels[0].path.split("/")[3]]["status"] == "canceled"


def test_closing_the_stream_early_cancels_the_prediction(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    before = len(_cancel_requests(server))

    async def go() -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            provider = ReplicateProvider(spec_for("replicate", server.url), client, KEY)
            stream = provider.stream(ask("acme/slow"))
            async for event in stream:
                if isinstance(event, TextDelta):
                    break
            await stream.aclose()  # type: ignore[attr-defined]

    asyncio.run(go())
    assert len(_cancel_requests(server)[before:]) == 1


def test_finished_prediction_is_not_cancelled(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    before = len(_cancel_requests(server))
    events = collect(ReplicateProvider, spec_for("replicate", server.url), KEY, ask("acme/ok"))
    assert events[-1] == StreamDone("stop")
    assert _cancel_requests(server)[before:] == []


def test_history_is_rendered_into_the_prompt() -> None:
    request = ChatRequest(model="a/b", system="Be brief.", messages=(
        ChatMessage("user", "Hi"), ChatMessage("assistant", "Hello!"), ChatMessage("user", "Joke?")))
    prompt, system = render_prompt(request)
    assert system == "Be brief."
    assert prompt == "User: Hi\n\nAssistant: Hello!\n\nUser: Joke?\n\nAssistant:"


def test_bad_model_ref_is_config_error(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    events = collect(ReplicateProvider, spec_for("replicate", server.url), KEY, ask("just-a-name"))
    assert isinstance(events[-1], StreamError) and events[-1].kind is ErrorKind.CONFIG


def test_model_list_and_key_check(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake

    async def go():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as client:
            good = ReplicateProvider(spec_for("replicate", server.url), client, KEY)
            bad = ReplicateProvider(spec_for("replicate", server.url), client, "r8_no")
            return await good.list_models(), await good.check_key(), await bad.check_key()

    models, ok, rejected = asyncio.run(go())
    assert [m.id for m in models] == ["meta/meta-llama-3-8b-instruct"]
    assert ok == (KeyStatus.OK, "account tester")
    assert rejected[0] is KeyStatus.REJECTED


# -------------------------------------------------------------- split invariance

STREAM = (sse("output", "caf\u00e9 \U0001f600", "1:0") + sse("output", "a\nb\u2028c", "1:1")
          + b": comment\n\n" + sse("logs", "log line", "1:2") + sse("done", "{}", "1:3"))


class SplitReplicate:
    """Create -> stream (cut as the test says) -> get: the three calls of one prediction."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.server = FakeServer(self).start()

    def __call__(self, request: Request) -> Response:
        url = self.server.url
        if request.method == "POST":
            return Response.json_body({"id": "p1", "status": "starting", "urls": {
                "get": f"{url}/v1/predictions/p1", "cancel": f"{url}/v1/predictions/p1/cancel",
                "stream": f"{url}/stream/p1"}}, 201)
        if request.path.startswith("/stream/"):
            return Response(200, {"content-type": "text/event-stream"}, [(p, 0) for p in self.pieces])
        return Response.json_body({"id": "p1", "status": "succeeded",
                                   "metrics": {"predict_time": 0.5, "input_token_count": 3,
                                               "output_token_count": 4}})


@pytest.fixture(scope="module")
def split_replicate() -> Iterator[SplitReplicate]:
    fake = SplitReplicate()
    yield fake
    fake.server.stop()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_same_events_however_the_bytes_are_split(split_replicate: SplitReplicate,
                                                 cuts: list[int]) -> None:
    split_replicate.pieces = split(STREAM, cuts)
    events = collect(ReplicateProvider, spec_for("replicate", split_replicate.server.url), KEY,
                     ask("acme/model"))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["caf\u00e9 \U0001f600", "a\nb\u2028c"]
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert (usage.input_tokens, usage.output_tokens, usage.predict_time_s) == (3, 4, 0.5)
    assert events[-1] == StreamDone("stop")


def test_done_payload_shapes() -> None:
    from llmtui.providers.replicate import _done_reason

    assert _done_reason("{}") is None
    assert _done_reason(json.dumps({"reason": "canceled"})) == "canceled"
    assert _done_reason(json.dumps({"reason": "error"})) == "error"


def test_ctrl_c_in_llmtui_ask_cancels_the_prediction(configured: FakeServer) -> None:
    """SIGINT to a running `llmtui ask`: the answer so far is kept and the fake sees the cancel."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    exe = Path(sys.executable).with_name("llmtui")
    before = len(_cancel_requests(configured))
    streams = len([r for r in configured.requests if r.path.startswith("/stream/")])
    proc = subprocess.Popen([str(exe), "ask", "--json", "-m", "replicate/acme/slow", "hi"],
                            env={**os.environ, **ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 20
        while len([r for r in configured.requests if r.path.startswith("/stream/")]) == streams:
            assert time.monotonic() < deadline, "llmtui never opened the stream"
            time.sleep(0.05)
        time.sleep(0.5)  # let the first output event arrive
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    data = json.loads(out)
    assert data["text"] == "Once upon"
    assert data["interrupted"] is True
    assert len(_cancel_requests(configured)[before:]) == 1
