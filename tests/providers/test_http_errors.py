"""Rate-limit headers and retry-after in every form providers send them."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from llmtui.providers.base import ErrorKind
from llmtui.providers.http_errors import (
    error_from_response,
    parse_duration,
    parse_rate_limit,
    parse_retry_after,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("6m0s", 360.0), ("1.5s", 1.5), ("12ms", 0.012), ("2", 2.0), ("1h2m3s", 3723.0), ("", None),
     ("soon", None)],
)
def test_durations(value: str, seconds: float | None) -> None:
    assert parse_duration(value) == pytest.approx(seconds) if seconds is not None else parse_duration(value) is None


def test_retry_after_http_date_and_ms() -> None:
    later = formatdate(time.time() + 30, usegmt=True)
    assert 27 <= (parse_retry_after({"retry-after": later}) or 0) <= 30
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5


def test_openai_and_anthropic_rate_headers() -> None:
    openai = parse_rate_limit({
        "x-ratelimit-limit-requests": "14400", "x-ratelimit-remaining-requests": "14399",
        "x-ratelimit-reset-requests": "6s", "x-ratelimit-remaining-tokens": "100",
        "x-ratelimit-reset-tokens": "1m0.5s"})
    assert openai is not None
    assert (openai.limit_requests, openai.remaining_requests, openai.reset_requests_s) == (14400, 14399, 6)
    assert openai.reset_tokens_s == pytest.approx(60.5)
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 20))
    anthropic = parse_rate_limit({
        "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": soon, "retry-after": "3"})
    assert anthropic is not None
    assert (anthropic.limit_requests, anthropic.remaining_requests, anthropic.retry_after_s) == (50, 49, 3)
    assert 15 <= (anthropic.reset_requests_s or 0) <= 20
    assert parse_rate_limit({"content-type": "x"}) is None


@pytest.mark.parametrize(
    ("status", "body", "kind", "needle"),
    [
        (401, b'{"error":{"message":"bad key","type":"invalid_request_error"}}', ErrorKind.AUTH, "bad key"),
        (429, b'{"detail":"Request was throttled."}', ErrorKind.RATE_LIMIT, "throttled"),
        (400, b'[{"error":{"code":400,"message":"gemini says no","status":"INVALID"}}]',
         ErrorKind.BAD_REQUEST, "gemini says no"),
        (503, b"", ErrorKind.SERVER, "(empty body)"),
        (500, b'{"type":"error","error":{"type":"api_error","message":"boom"}}', ErrorKind.SERVER, "boom"),
    ],
)
def test_error_bodies(status: int, body: bytes, kind: ErrorKind, needle: str) -> None:
    error = error_from_response("X", status, body, {"Retry-After": "2"})
    assert error.kind is kind and needle in error.message and error.retry_after_s == 2
