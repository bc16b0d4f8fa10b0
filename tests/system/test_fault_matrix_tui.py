"""The fault matrix in the TUI: a failing pane says why and keeps its text; the other goes on."""

from __future__ import annotations

import pytest

from llmtui.core.store import Store
from tests.screens.helpers import FAKE_KEY, answered, booted, make_app, record_notices, send, until

NET = "[network]\nmax_retries = 0\nidle_timeout = 0.5\nread_timeout = 0.7\n"
# In a compare the healthy pane shares these timeouts: on a loaded CI box a 0.5 s limit could
# cut it off, so compare tests give it room (the stall scenario then waits 2 s).
NET_COMPARE = "[network]\nmax_retries = 0\nidle_timeout = 2\nread_timeout = 5\n"


def configure(write_config, monkeypatch, base_url: str, extra: str = "",  # type: ignore[no-untyped-def]
              net: str = NET) -> None:
    write_config(f'[providers.groq]\nbase_url = "{base_url}"\n\n{net}{extra}')
    monkeypatch.setenv("GROQ_API_KEY", FAKE_KEY)


# fault -> (words in the pane's notice, text the pane keeps)
FAULTS = {
    "drop": ("connection dropped mid-stream", "Partial answer"),
    "stall": ("stalled for 0.5s", "Partial answer"),
    "malformed": ("not JSON", "Partial answer"),
    "no-done": ("ended before the answer was complete", "Partial answer"),
    "500-midstream": ("upstream failed", "Partial answer"),
    "html": ("HTML error page", ""),
    "200-error": ("model is overloaded", ""),
    "bad-key": ("key from env GROQ_API_KEY", ""),
}


@pytest.mark.parametrize("fault", FAULTS)
async def test_compare_one_pane_fails_the_other_goes_on(  # type: ignore[no-untyped-def]
        fault: str, write_config, fake_url: str, monkeypatch) -> None:
    needle, kept = FAULTS[fault]
    if fault == "stall":
        needle = "stalled for 2s"
    configure(write_config, monkeypatch, f"{fake_url}/openai/v1", net=NET_COMPARE)
    app = make_app(compare=(f"groq/{fault}", "groq/drip-30"))
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        failed, good = screen.session.turns[-1].lanes
        notice = str(app.main.views[failed].query_one(".notice").render())
        assert needle in notice and "Groq" in notice and "→" in notice
        assert app.main.views[failed].has_class("-failed")
        assert app.main.views[failed].full_text == kept
        assert failed.state == ("interrupted" if kept else "error")
        assert good.state == "done" and app.main.views[good].full_text.startswith("w0 w1 ")
        assert "w29" in app.main.views[good].full_text
        assert app.is_running
        conversation_id = screen.session.conversation_id
    answers = {m.lane: m for m in Store().messages(conversation_id) if m.role == "assistant"}  # type: ignore[arg-type]
    assert answers[0].content == kept
    assert answers[0].status == ("interrupted" if kept else "error")
    assert answers[1].status == "done" and "w29" in answers[1].content


@pytest.mark.parametrize(("url", "needle"), [
    ("https://nohost.invalid/v1", "no such host nohost.invalid"),
    ("https://127.0.0.1:{port}/v1", "TLS error"),
])
async def test_unreachable_provider_is_an_inline_error(  # type: ignore[no-untyped-def]
        url: str, needle: str, write_config, fake_url: str, monkeypatch) -> None:
    port = fake_url.rsplit(":", 1)[1]
    configure(write_config, monkeypatch, url.format(port=port))
    app = make_app(model="groq/ok")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        lane = screen.session.turns[-1].lanes[0]
        notice = str(app.main.views[lane].query_one(".notice").render())
        assert "Groq" in notice and needle in notice and "→" in notice
        assert lane.state == "error" and app.is_running


async def test_429_reset_header_wait_is_shown_then_one_answer(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, monkeypatch, openai_server) -> None:
    configure(write_config, monkeypatch, f"{fake_url}/openai/v1")
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n[network]\nmax_retries = 1\n')
    openai_server[1].counts.pop("429-reset-once", None)
    seen = record_notices(monkeypatch)  # the notice shows for 0.2 s: a poll could miss it
    app = make_app(model="groq/429-reset-once")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = app.main
        await answered(pilot)
        assert any("retrying in 0.2s" in s for s in seen), seen
        lane = screen.session.turns[-1].lanes[0]
        assert lane.state == "done" and app.main.views[lane].full_text == "Hello, world!"


@pytest.mark.parametrize("ref", ["nosuch/x", "groq", "groq/"])
async def test_bad_model_reference_on_the_command_line_is_inline(ref: str) -> None:
    app = make_app(model=ref, prompt="hello")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await booted(pilot)
        await until(pilot, lambda: bool(screen.session.turns) and not screen.session.streaming)
        lane = screen.session.turns[-1].lanes[0]
        notice = str(app.main.views[lane].query_one(".notice").render())
        assert "config" in notice and ("unknown provider" in notice or "PROVIDER/MODEL" in notice)
        assert app.is_running
        # the app still works: a good model answers next
        await screen.switch_to(["demo/simulated-fast"])
        turns = len(screen.session.turns)
        await send(pilot, "again")
        await until(pilot, lambda: len(screen.session.turns) > turns and not screen.session.streaming)
        last = screen.session.turns[-1].lanes[0]
        assert last.state == "done", (last.ref, str(app.main.views[last].query_one(".notice").render()))


async def test_unknown_model_on_a_known_provider_is_inline(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    from tests.fakes.server import FakeServer, Response

    def no_model(request):  # type: ignore[no-untyped-def]
        return Response.json_body({"error": {"message": "The model `nosuch` does not exist",
                                             "type": "invalid_request_error",
                                             "code": "model_not_found"}}, 404)

    server = FakeServer(no_model).start()
    try:
        configure(write_config, monkeypatch, server.url + "/v1")
        app = make_app(model="groq/nosuch")
        async with app.run_test(size=(120, 36)) as pilot:
            await send(pilot, "hi")
            screen = await answered(pilot)
            notice = str(app.main.views[screen.session.turns[-1].lanes[0]].query_one(".notice").render())
            assert "does not exist" in notice and "HTTP 404" in notice and "→" in notice
    finally:
        server.stop()


async def test_no_retry_once_text_has_streamed_in_compare(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, monkeypatch, openai_server) -> None:
    configure(write_config, monkeypatch, f"{fake_url}/openai/v1")
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n'
                 "[network]\nmax_retries = 2\nmax_retry_wait = 0.1\n")
    fake = openai_server[1]
    before = fake.counts.get("500-midstream", 0), fake.counts.get("503", 0)
    app = make_app(compare=("groq/500-midstream", "groq/503"))
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        midstream, refused = screen.session.turns[-1].lanes
        assert app.main.views[midstream].full_text == "Partial answer" and midstream.state == "interrupted"
        assert app.main.views[refused].full_text == "" and refused.state == "error"
    # the one that streamed text was asked once; the one that failed before any text, 1 + 2 retries
    assert (fake.counts["500-midstream"] - before[0], fake.counts["503"] - before[1]) == (1, 3)


async def test_compare_a_rate_limited_pane_waits_and_retries_while_the_other_streams(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, monkeypatch, openai_server) -> None:
    configure(write_config, monkeypatch, f"{fake_url}/openai/v1")
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n[network]\nmax_retries = 1\n')
    fake = openai_server[1]
    fake.counts.pop("429-once", None)
    app = make_app(compare=("groq/429-once", "groq/drip-30"))
    seen = record_notices(monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        screen = app.main

        def wait_shown() -> bool:
            # every notice a pane showed, however briefly (the wait is 0.2 s)
            return any("retrying in" in s and "HTTP 429" in s for s in seen)

        await until(pilot, wait_shown, timeout=10)
        await answered(pilot)
        limited, other = screen.session.turns[-1].lanes
        assert limited.state == "done" and app.main.views[limited].full_text == "Hello, world!"
        assert other.state == "done" and "w29" in app.main.views[other].full_text
    assert fake.counts["429-once"] == 2  # one refusal, one answer: billed once


async def test_compare_anthropic_overloaded_pane_keeps_text_other_goes_on(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, monkeypatch) -> None:
    from tests.fakes.anthropic_fake import AnthropicFake
    from tests.fakes.server import FakeServer

    anthropic = FakeServer(AnthropicFake(expected_key=FAKE_KEY)).start()
    try:
        configure(write_config, monkeypatch, f"{fake_url}/openai/v1",
                  f'\n[providers.anthropic]\nbase_url = "{anthropic.url}"\n', net=NET_COMPARE)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        app = make_app(compare=("anthropic/overloaded-midstream", "groq/drip-30"))
        async with app.run_test(size=(140, 40)) as pilot:
            await send(pilot, "hi")
            screen = await answered(pilot)
            failed, good = screen.session.turns[-1].lanes
            notice = str(app.main.views[failed].query_one(".notice").render())
            assert "Anthropic" in notice and "→" in notice
            assert failed.state == "interrupted" and app.main.views[failed].full_text.startswith("Hello from")
            assert good.state == "done" and "w29" in app.main.views[good].full_text
    finally:
        anthropic.stop()
