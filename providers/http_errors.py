"""Turning HTTP responses and transport failures into typed provider errors.

Shared by every adapter: status codes and error bodies map to ErrorKind with the
provider's own message; `retry-after` and `x-ratelimit-*` headers become numbers.
"""

from __future__ import annotations

import json
import math
import re
import socket
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from llmtui.providers.base import (
    ErrorKind,
    ProviderError,
    RateLimit,
    Remedy,
    StreamDone,
    StreamError,
    StreamEvent,
    TooLarge,
)
from llmtui.providers.transport import MAX_ERROR_BODY_BYTES, read_limited

# A server that cannot be reached at all: the network, or the configured address.
UNREACHABLE = Remedy.CHECK_CONNECTION

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")

MAX_WAIT_S = 31 * 24 * 3600.0
"""A header may ask us to wait at most this long (a monthly quota); more is capped to it."""
MAX_HEADER_COUNT = 10**15
"""A rate-limit count above this is not a count; the header is ignored."""
MAX_HEADER_CHARS = 100


def _seconds(value: float) -> float | None:
    """A wait from a header: None if not a number (NaN, inf), else within 0..MAX_WAIT_S."""
    if not math.isfinite(value):
        return None
    return min(max(0.0, value), MAX_WAIT_S)


def parse_duration(value: str | None) -> float | None:
    """`6m0s`, `1.5s`, `12ms`, a bare number of seconds, or an RFC 3339/HTTP date.

    Headers are data from the network: `inf`, `nan` and `1e300` give None or the cap, never
    a number that overflows a clock."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_HEADER_CHARS:
        return None
    try:
        return _seconds(float(value))
    except ValueError:
        pass
    parts = _DURATION.findall(value)
    if parts and "".join(n + u for n, u in parts) == value:
        scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
        return _seconds(sum(float(n) * scale[u] for n, u in parts))
    return _seconds_until_date(value)


def _seconds_until_date(value: str) -> float | None:
    from datetime import datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is None:
        return None
    try:
        return _seconds(when.timestamp() - time.time())
    except (OverflowError, OSError, ValueError):
        return None


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms` first (as the Together SDK does), then `retry-after`."""
    ms = headers.get("retry-after-ms")
    if ms is not None and len(ms) <= MAX_HEADER_CHARS:
        try:
            wait = _seconds(float(ms) / 1000)
        except ValueError:
            wait = None
        if wait is not None:
            return wait
    return parse_duration(headers.get("retry-after"))


def _int(value: str | None) -> int | None:
    """A count from a header, or None for anything that is not a plausible count."""
    if value is None or len(value) > MAX_HEADER_CHARS:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number) or not 0 <= number <= MAX_HEADER_COUNT:
        return None
    return int(number)


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    """OpenAI/Groq `x-ratelimit-*`, Anthropic `anthropic-ratelimit-*`, plain `retry-after`."""
    lower = {k.lower(): v for k, v in headers.items()}
    for prefix in ("x-ratelimit-", "anthropic-ratelimit-"):
        limit = RateLimit(
            limit_requests=_int(lower.get(prefix + "limit-requests"))
            or _int(lower.get(prefix + "requests-limit")),
            remaining_requests=_int(
                lower.get(prefix + "remaining-requests", lower.get(prefix + "requests-remaining"))
            ),
            reset_requests_s=parse_duration(
                lower.get(prefix + "reset-requests", lower.get(prefix + "requests-reset"))
            ),
            limit_tokens=_int(lower.get(prefix + "limit-tokens"))
            or _int(lower.get(prefix + "tokens-limit")),
            remaining_tokens=_int(
                lower.get(prefix + "remaining-tokens", lower.get(prefix + "tokens-remaining"))
            ),
            reset_tokens_s=parse_duration(
                lower.get(prefix + "reset-tokens", lower.get(prefix + "tokens-reset"))
            ),
            retry_after_s=parse_retry_after(lower),
        )
        if any(v is not None for k, v in limit.as_dict().items() if k != "retry_after_s"):
            return limit
    retry = parse_retry_after(lower)
    return RateLimit(retry_after_s=retry) if retry is not None else None


def _message_from_body(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data: Any = json.loads(text)
    except ValueError:
        if "<html" in text[:500].lower() or "<!doctype" in text[:500].lower():
            title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
            return "HTML error page" + (f": {title.group(1).strip()}" if title else "")
        return text[:300] or "(empty body)"
    return message_from_json(data) or text[:300]


def message_from_json(data: Any) -> str | None:
    """The human message out of the many error body shapes providers use."""
    if isinstance(data, list) and data:
        return message_from_json(data[0])  # Gemini's compat endpoint wraps it in a list
    if not isinstance(data, dict):
        return None
    err = data.get("error")
    if isinstance(err, dict):
        msg = err.get("message") or err.get("detail")
        if isinstance(msg, str):
            return msg
    if isinstance(err, str):
        return err
    for key in ("message", "detail", "title", "Message"):
        val = data.get(key)
        if isinstance(val, str):
            return val
    return None


def kind_for_status(status: int) -> ErrorKind:
    if status in (401, 403):
        return ErrorKind.AUTH
    if status == 429:
        return ErrorKind.RATE_LIMIT
    if status >= 500:
        return ErrorKind.SERVER
    return ErrorKind.BAD_REQUEST


def error_from_response(
    label: str, status: int, body: bytes, headers: Mapping[str, str]
) -> ProviderError:
    """A ProviderError for an HTTP error response."""
    message = _message_from_body(body)
    kind = kind_for_status(status)
    if status == 402:
        kind = ErrorKind.BAD_REQUEST
    return ProviderError(
        kind,
        f"{label}: HTTP {status}: {message}",
        status=status,
        retry_after_s=parse_retry_after({k.lower(): v for k, v in headers.items()}),
    )


def _where(exc: httpx.HTTPError) -> str:
    try:
        url = exc.request.url
    except RuntimeError:  # no request attached
        return "the server"
    return f"{url.host}:{url.port}" if url.port else str(url.host)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def raise_for_redirect(label: str, response: httpx.Response) -> None:
    """Redirects are not followed (they could carry the key elsewhere): say where it pointed."""
    if 300 <= response.status_code < 400:
        target = response.headers.get("location") or "no Location header"
        raise ProviderError(
            ErrorKind.CONFIG,
            f"{label}: HTTP {response.status_code} redirect to {target}; llmtui does not follow "
            "redirects: if that is the API's address, set base_url to it",
            status=response.status_code,
        )


async def error_body(response: httpx.Response) -> bytes:
    """The first MAX_ERROR_BODY_BYTES of an error body; a dropped connection ends it early."""
    try:
        return await read_limited(response.aiter_bytes(), MAX_ERROR_BODY_BYTES, truncate=True)
    except httpx.HTTPError:
        return b""


async def raise_for_status(label: str, response: httpx.Response) -> None:
    """Read an error body (bounded) and raise; no-op on 2xx."""
    raise_for_redirect(label, response)
    if response.status_code < 400:
        return
    body = await error_body(response)
    raise error_from_response(label, response.status_code, body, response.headers)


def error_from_exception(label: str, exc: BaseException) -> ProviderError:
    """Transport failures: what happened, in one line, without the request's headers."""
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, TooLarge):
        return ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: {exc}")
    if isinstance(exc, httpx.LocalProtocolError):
        # Its text quotes the offending header, which may be the Authorization header.
        return ProviderError(
            ErrorKind.CONFIG,
            f"{label}: the request could not be sent: a header value is invalid "
            "(is the API key pasted with a line break or a space in it?)",
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return ProviderError(ErrorKind.NETWORK, f"{label}: connection timed out", remedy=UNREACHABLE)
    if isinstance(exc, httpx.ReadTimeout):
        return ProviderError(ErrorKind.NETWORK, f"{label}: no data from the server in time (read timeout)")
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc) or type(exc).__name__
        if "certificate" in reason.lower() or "ssl" in reason.lower():
            return ProviderError(ErrorKind.NETWORK, f"{label}: TLS error: {reason}", remedy=UNREACHABLE)
        where = _where(exc)
        causes = _causes(exc)
        if any(isinstance(c, socket.gaierror) for c in causes):
            return ProviderError(ErrorKind.NETWORK,
                                 f"{label}: cannot connect: no such host {where} (DNS: {reason})",
                                 remedy=UNREACHABLE)
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return ProviderError(ErrorKind.NETWORK,
                                 f"{label}: cannot connect: connection refused by {where}",
                                 remedy=UNREACHABLE)
        return ProviderError(ErrorKind.NETWORK, f"{label}: cannot connect to {where}: {reason}",
                             remedy=UNREACHABLE)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return ProviderError(ErrorKind.NETWORK, f"{label}: connection dropped mid-stream")
    if isinstance(exc, httpx.HTTPError):
        return ProviderError(ErrorKind.NETWORK, f"{label}: {type(exc).__name__}: {exc}")
    return ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: {type(exc).__name__}: {exc}")


def one_line(error: StreamError) -> StreamError:
    """A server's error text on one line: bodies and SSE data can carry line breaks."""
    message = " ".join(error.message.split())
    return error if message == error.message else replace(error, message=message)


async def guarded(label: str, events: AsyncIterator[StreamEvent]) -> AsyncIterator[StreamEvent]:
    """Run an adapter's event stream so it always ends in StreamDone or StreamError.

    Cancellation (asyncio.CancelledError) passes through untouched: the caller
    asked for it and keeps the text it has.
    """
    ended = False
    try:
        async for event in events:
            if isinstance(event, (StreamDone, StreamError)):
                ended = True
            yield one_line(event) if isinstance(event, StreamError) else event
            if ended:
                return
    except Exception as exc:  # noqa: BLE001 - any adapter failure is a StreamError, never a crash
        yield one_line(error_from_exception(label, exc).to_event())
        return
    finally:
        # Closing this wrapper closes the adapter too (its HTTP response, its clean-up such as
        # cancelling a Replicate prediction), whether it ended, failed or was abandoned.
        close = getattr(events, "aclose", None)
        if close is not None:
            try:
                await close()
            except Exception:  # noqa: BLE001 - already ending; a failed close changes nothing
                pass
    if not ended:
        yield StreamError(
            ErrorKind.NETWORK, f"{label}: the stream ended before the answer was complete"
        )
