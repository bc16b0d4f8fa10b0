"""Hostile servers x provider families: every finding of the reliability run (issue 14), run
against every family it applies to, through the registry (the provider boundary) and a real
httpx client over loopback.

Each case states the rule it checks; `CASES` maps it to the families it applies to. The count
of (case, family) pairs is what the matrix covers (`test_matrix_size` prints it).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from llmtui.providers import eventstream, sse, transport
from llmtui.providers.base import (
    ErrorKind,
    KeyStatus,
    ModelInfo,
    Notice,
    ProviderError,
    StreamDone,
    StreamError,
    TextDelta,
    UsageReport,
)
from llmtui.providers.http_errors import MAX_WAIT_S
from llmtui.providers.registry import create
from tests.fakes import bedrock_fake
from tests.fakes.hostile_wire import FAMILIES, KEY, OSC52, TEXT, Family, HostileServer
from tests.fakes.server import Response
from tests.providers.helpers import ask, spec_for

ALL = tuple(FAMILIES)
SSE_FAMILIES = tuple(f for f in FAMILIES if FAMILIES[f].sse)


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.server.stop()


def run(family: Family, url: str, call: Callable[[Any], Awaitable[Any]], **options: Any) -> Any:
    async def go() -> Any:
        spec = spec_for(family.provider, url + family.base_suffix, **{**family.options, **options})
        async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
            return await call(create(spec, client, KEY))
    return asyncio.run(go())


def events(family: Family, url: str, **options: Any) -> list[Any]:
    async def collect(provider: Any) -> list[Any]:
        return [e async for e in provider.stream(ask(family.model))]
    return run(family, url, collect, **options)


def models(family: Family, url: str) -> list[ModelInfo]:
    return run(family, url, lambda p: p.list_models())  # type: ignore[no-any-return]


def strings(model: ModelInfo) -> list[str]:
    out = [model.id, model.note, model.price.source if model.price else ""]
    for backend in model.backends:
        out += strings(backend)
    return out


def the_error(got: list[Any]) -> StreamError:
    assert isinstance(got[-1], StreamError), got
    assert not any(isinstance(e, (StreamError, StreamDone)) for e in got[:-1]), got
    return got[-1]


def error_reply(family: Family, status: int, message: str, headers: dict[str, str] | None = None
                ) -> Response:
    if family.name == "bedrock":
        name = {401: "UnrecognizedClientException", 429: "ThrottlingException"}.get(
            status, "ValidationException")
        return bedrock_fake.aws_error(status, name, message, headers)
    return Response.json_body(family.error(message), status, headers)


# ---------------------------------------------------------------- the cases


def case_model_list_strings_are_sanitised(family: Family, s: HostileServer) -> None:
    """H1: an OSC 52 (and bidi/zero-width) in any model-list string never comes out raw; an
    id that carries one is dropped, a note or backend name is shown visibly."""
    s.models = Response.json_body(family.models(OSC52))
    listed = models(family, s.url)
    assert listed, "the good entry is kept"
    for text in (t for m in listed for t in strings(m)):
        assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text, text
    assert all("evil" not in m.id or "␛" not in m.id for m in listed)


def case_error_text_is_one_clean_line(family: Family, s: HostileServer) -> None:
    """H1: an error body with escapes and line breaks reaches the user as one visible line."""
    s.chat = error_reply(family, 400, "bad\x1b[2J\nthing\x9b\u202e")
    error = the_error(events(family, s.url))
    assert "\x1b" not in error.message and "\n" not in error.message and "\x9b" not in error.message
    assert "␛[2J" in error.message and "<U+202E>" in error.message


def case_echoed_key_is_masked_everywhere(family: Family, s: HostileServer) -> None:
    """M1: a 401 that echoes the key (as Bearer, or inside Basic credentials): the stream error,
    the model-list error and the key check all show the mask, never the key."""
    basic = base64.b64encode(f"user:{KEY}".encode()).decode()
    s.chat = s.models = error_reply(family, 401, f"Invalid credentials: Bearer {KEY}; Basic {basic}")
    error = the_error(events(family, s.url))
    with pytest.raises(ProviderError) as listing:
        models(family, s.url)
    status, detail = run(family, s.url, lambda p: p.check_key())
    assert status is KeyStatus.REJECTED
    for text in (error.message, listing.value.message, detail):
        assert KEY not in text and "…cdef" in text, text
        assert basic[:-4] not in text and "Basic …" in text, text


@pytest.mark.parametrize("header", [{"retry-after": "inf"}, {"retry-after": "1e300"},
                                    {"retry-after-ms": "1e20"}, {"retry-after": "nan"},
                                    {"retry-after": "99999999999h"}])
def case_absurd_retry_after_is_capped(family: Family, s: HostileServer, header: dict[str, str]) -> None:
    """M5: a 429 whose retry-after is infinite, NaN or absurd gives a finite, capped wait."""
    s.chat = error_reply(family, 429, "slow down", header)
    error = the_error(events(family, s.url))
    assert error.kind is ErrorKind.RATE_LIMIT
    assert error.retry_after_s is None or 0 <= error.retry_after_s <= MAX_WAIT_S


def case_infinite_rate_limit_header_on_a_good_answer(family: Family, s: HostileServer) -> None:
    """L5: `inf` rate-limit headers on a 200 are ignored; the answer arrives whole."""
    headers = {"x-ratelimit-limit-requests": "inf", "x-ratelimit-remaining-tokens": "1e400",
               "anthropic-ratelimit-requests-limit": "-inf", "retry-after": "inf"}
    if family.name == "replicate":
        s.chat = Response.json_body({"id": "p1", "status": "starting", "urls": {
            "stream": f"{s.url}/stream/p1", "get": f"{s.url}/v1/predictions/p1"}}, 201, headers)
    else:
        s.chat = s.answer(headers=headers)
    got = events(family, s.url)
    assert "".join(e.text for e in got if isinstance(e, TextDelta)) == TEXT
    assert isinstance(got[-1], StreamDone), got


def case_huge_line_is_refused_in_linear_time(family: Family, s: HostileServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """M7: one line (or one binary frame) past the limit ends in a clear bad_response."""
    limit = 64 * 1024
    if family.sse:
        monkeypatch.setattr(sse, "MAX_LINE_CHARS", limit)
        body = b"data: " + b"x" * (limit + 10) + b"\n\n"
    else:
        monkeypatch.setattr(eventstream, "MAX_MESSAGE_LEN", limit)
        body = bedrock_fake.event("contentBlockDelta", {"delta": {"text": "x" * (limit + 10)}})
    pieces = [(body[i:i + 4096], 0.0) for i in range(0, len(body), 4096)]
    reply = Response(200, {"content-type": family.stream_type}, pieces)
    if family.name == "replicate":
        s.stream = reply
    else:
        s.chat = reply
    error = the_error(events(family, s.url))
    assert error.kind is ErrorKind.BAD_RESPONSE
    assert "longer than" in error.message or "impossible length" in error.message


def case_huge_event_is_refused(family: Family, s: HostileServer,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """M7: an event of many short data lines past the event limit ends in a clear error."""
    monkeypatch.setattr(sse, "MAX_EVENT_CHARS", 64 * 1024)
    body = b"event: output\n" + b"data: xxxxxxxxxxxxxxxx\n" * 5000 + b"\n"
    reply = s.answer(body)
    if family.name == "replicate":
        s.stream = reply
    else:
        s.chat = reply
    error = the_error(events(family, s.url))
    assert error.kind is ErrorKind.BAD_RESPONSE and "larger than" in error.message


def case_huge_model_list_is_refused(family: Family, s: HostileServer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """M7: a model list larger than the body limit is refused, not read into memory whole."""
    monkeypatch.setattr(transport, "MAX_BODY_BYTES", 64 * 1024)
    payload = family.models("x" * 100_000)
    s.models = Response.json_body(payload)
    with pytest.raises(ProviderError) as caught:
        models(family, s.url)
    assert caught.value.kind is ErrorKind.BAD_RESPONSE and "larger than" in caught.value.message


def case_stream_sent_as_text_plain_is_read(family: Family, s: HostileServer) -> None:
    """L11: a valid stream whose content type says text/plain is still an answer."""
    reply = s.answer(content_type="text/plain; charset=utf-8")
    if family.name == "replicate":
        s.stream = reply
    else:
        s.chat = reply
    got = events(family, s.url)
    assert "".join(e.text for e in got if isinstance(e, TextDelta)) == TEXT
    assert isinstance(got[-1], StreamDone), got


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def case_redirect_names_status_and_target(family: Family, s: HostileServer, status: int) -> None:
    """L7: a redirect is not followed; the error says which status and where it pointed."""
    s.chat = Response(status, {"location": "https://elsewhere.example/v1", "content-type": "text/plain"},
                      [(b"moved", 0)], chunked=False)
    error = the_error(events(family, s.url))
    assert f"HTTP {status}" in error.message and "https://elsewhere.example/v1" in error.message
    assert len(s.server.requests) == 1


@pytest.mark.parametrize("counts", [(10**20, 5), (-100000000, 5), ("1000", 5), (1.5, 5),
                                    (10, 2**64)])
def case_absurd_usage_is_ignored_with_a_notice(family: Family, s: HostileServer,
                                               counts: tuple[Any, Any]) -> None:
    """L13/M4b: token counts that are not plausible counts are dropped with a notice; the text
    and the end of the answer stay."""
    prompt, completion = counts
    if family.name == "replicate":
        s.prediction = {"id": "p1", "status": "succeeded", "metrics": {
            "input_token_count": prompt, "output_token_count": completion, "predict_time": 1.0}}
    else:
        s.chat = s.answer(family.answer(TEXT, prompt, completion))
    got = events(family, s.url)
    assert "".join(e.text for e in got if isinstance(e, TextDelta)) == TEXT
    assert isinstance(got[-1], StreamDone), got
    assert not [e for e in got if isinstance(e, UsageReport)], got
    (notice,) = [e for e in got if isinstance(e, Notice)]
    assert "ignored the usage" in notice.text


def case_key_never_goes_over_plain_http_to_another_host(family: Family, s: HostileServer) -> None:
    """L6: a key for a plain-http, non-loopback base_url is refused before anything is sent."""
    refused = "refusing to send the API key over plain http://"

    async def everything(provider: Any) -> tuple[list[Any], str, str]:
        got = [e async for e in provider.stream(ask(family.model))]
        try:
            await provider.list_models()
            listing = ""
        except ProviderError as exc:
            listing = exc.message
        return got, listing, (await provider.check_key())[1]

    spec = spec_for(family.provider, "http://10.255.255.1:9/v1", **family.options)

    async def go() -> tuple[list[Any], str, str]:
        async with httpx.AsyncClient(timeout=10) as client:
            return await everything(create(spec, client, KEY))

    got, listing, detail = asyncio.run(go())
    assert the_error(got).kind is ErrorKind.CONFIG
    assert all(refused in text for text in (got[-1].message, listing, detail))


# case -> families it applies to (Bedrock has no SSE events; its frames have their own limit).
CASES: dict[Callable[..., None], tuple[str, ...]] = {
    case_model_list_strings_are_sanitised: ALL,
    case_error_text_is_one_clean_line: ALL,
    case_echoed_key_is_masked_everywhere: ALL,
    case_absurd_retry_after_is_capped: ALL,
    case_infinite_rate_limit_header_on_a_good_answer: ALL,
    case_huge_line_is_refused_in_linear_time: ALL,
    case_huge_event_is_refused: SSE_FAMILIES,
    case_huge_model_list_is_refused: ALL,
    case_stream_sent_as_text_plain_is_read: SSE_FAMILIES,
    case_redirect_names_status_and_target: ALL,
    case_absurd_usage_is_ignored_with_a_notice: ALL,
    case_key_never_goes_over_plain_http_to_another_host: ALL,
}


def _params() -> list[Any]:
    out = []
    for case, families in CASES.items():
        marks = getattr(case, "pytestmark", [])
        variants: list[dict[str, Any]] = [{}]
        for mark in marks:
            if mark.name == "parametrize":
                name, values = mark.args
                variants = [{**v, name: value} for v in variants for value in values]
        for family in families:
            for i, extra in enumerate(variants):
                out.append(pytest.param(case, family, extra,
                                        id=f"{case.__name__[5:]}-{family}" + (f"-{i}" if extra else "")))
    return out


@pytest.mark.parametrize(("case", "family", "extra"), _params())
def test_hostile_case(case: Callable[..., None], family: str, extra: dict[str, Any],
                      hostile: HostileServer, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile.reset(FAMILIES[family])
    kwargs: dict[str, Any] = dict(extra)
    if "monkeypatch" in case.__code__.co_varnames[:case.__code__.co_argcount]:
        kwargs["monkeypatch"] = monkeypatch
    case(FAMILIES[family], hostile, **kwargs)


def test_matrix_size() -> None:
    """The closing figure for issue 14: distinct cases x the families each runs against."""
    pairs = sum(len(f) for f in CASES.values())
    assert len(CASES) == 12 and pairs == 58, (len(CASES), pairs)
    print(json.dumps({"cases": len(CASES), "families": len(FAMILIES), "case_family_pairs": pairs,
                      "runs_with_variants": len(_params())}))
