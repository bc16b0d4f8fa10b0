"""A provider's stream with timeouts and retries: a 429 or 5xx is tried again only before
the first token (so nothing is billed twice), after the server's retry-after or a capped,
jittered backoff; a wait longer than we would sleep (a used-up daily quota) fails at once.

The stream always ends with StreamDone or StreamError; the final 429 says when to try again.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass

from llmtui.core.config import Network
from llmtui.core.watchdog import Watchdog
from llmtui.providers.base import (
    ErrorKind,
    RateLimit,
    ReasoningDelta,
    Remedy,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
)

RETRYABLE = {ErrorKind.RATE_LIMIT, ErrorKind.SERVER}


@dataclass(frozen=True, slots=True)
class Retrying:
    """Waiting before another try (nothing streamed yet, so nothing is billed twice)."""

    attempt: int
    wait_s: float
    reason: str


async def with_retries(
    open_stream: Callable[[], AsyncIterator[StreamEvent]],
    net: Network,
    label: str,
    scrub: Callable[[StreamError], StreamError] = lambda error: error,
    first_wait: float | None = None,
) -> AsyncGenerator[StreamEvent | Retrying, None]:
    """Events of one answer, across tries. `scrub` cleans an error before anyone sees it
    (the Exchange masks the key a server may echo). `first_wait` replaces read_timeout for
    the first token (longer for a model that may think silently).

    A thought is a token: once one arrived nothing is retried (it is billed), and the stall
    timer (idle_timeout) runs between any two events, thoughts included."""
    attempt = 0
    streamed = False
    last_limit: RateLimit | None = None
    # One deadline for the whole answer, retries included: a server that drips a token just
    # inside idle_timeout forever still ends.
    deadline = time.monotonic() + net.max_answer_s
    while True:
        events = open_stream().__aiter__()
        limit_this_try: RateLimit | None = None
        retry_on: StreamError | None = None
        # One stall timer for this try (watchdog.py), not a timeout per event.
        dog = Watchdog(first_wait or net.read_timeout, deadline)
        try:
            while True:
                event = await _next(events, dog, label, streamed, net.max_answer_s)
                if isinstance(event, (TextDelta, ReasoningDelta)) and not streamed:
                    streamed = True
                    dog.set_timeout(net.idle_timeout)
                elif isinstance(event, RateLimit):
                    last_limit = limit_this_try = event
                elif isinstance(event, StreamError):
                    event = scrub(event)
                    if _may_retry(event, streamed, attempt, net):
                        retry_on = event
                        break
                    if event.kind is ErrorKind.RATE_LIMIT:
                        event = rate_limit_error(event, last_limit, attempt)
                yield event
                if isinstance(event, (StreamDone, StreamError)):
                    return
        finally:
            dog.close()
            await _aclose(events)
        assert retry_on is not None  # the inner loop leaves only by return or to retry
        attempt += 1
        server_wait = retry_on.retry_after_s
        if server_wait is None and retry_on.kind is ErrorKind.RATE_LIMIT:
            server_wait = _quota_reset(limit_this_try)
        wait = _backoff(attempt, server_wait, net.max_retry_wait)
        wait = min(wait, max(0.0, deadline - time.monotonic()))
        yield Retrying(attempt, wait, retry_on.message)
        await asyncio.sleep(wait)


async def _next(
    events: AsyncIterator[StreamEvent], dog: Watchdog, label: str, streamed: bool,
    max_answer_s: float,
) -> StreamEvent:
    try:
        return await dog.next(events)
    except StopAsyncIteration:
        return StreamError(ErrorKind.NETWORK, f"{label}: the stream ended before the answer was complete")
    except TimeoutError:
        if dog.deadline_passed:
            return StreamError(ErrorKind.NETWORK,
                               f"{label}: the answer took longer than {max_answer_s:g}s",
                               remedy=Remedy.RETRY_LATER, setting="[network] max_answer_s")
        what, setting = ("the stream stalled", "idle_timeout") if streamed else ("no reply", "read_timeout")
        return StreamError(ErrorKind.NETWORK, f"{label}: {what} for {dog.timeout:g}s",
                           remedy=Remedy.RETRY_LATER, setting=f"[network] {setting}")


def _may_retry(error: StreamError, streamed: bool, attempt: int, net: Network) -> bool:
    server_wait = error.retry_after_s
    return (
        error.kind in RETRYABLE
        and not streamed
        and attempt < net.max_retries
        and (server_wait is None or server_wait <= net.max_retry_wait)
    )


def wait_span(seconds: float) -> str:
    """A wait as a person reads it: `42s`, `17 min`, `27 h 46 min`, `3 days`."""
    if seconds < 90:
        return f"{seconds:.0f}s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{round(seconds / 86400)} days"


def rate_limit_error(event: StreamError, limit: RateLimit | None, retries: int) -> StreamError:
    """The final 429, saying when to try again (retry-after, else the quota's reset time)."""
    wait = event.retry_after_s
    if wait is None and limit is not None:
        resets = [s for s in (limit.retry_after_s, limit.reset_requests_s, limit.reset_tokens_s)
                  if s is not None]
        wait = max(resets) if resets else None
    tried = f"gave up after {retries} {'retry' if retries == 1 else 'retries'}; " if retries else ""
    if wait is None:
        hint = f"{tried}wait a little and try again"
    else:
        # A quota that resets days away (headers are capped at 31 days) needs the date too.
        at = time.strftime("%Y-%m-%d %H:%M" if wait >= 86400 else "%H:%M:%S",
                           time.localtime(time.time() + wait))
        hint = f"{tried}try again in {wait_span(wait)} (after {at})" if wait >= 1 else (
            f"{tried}try again in {wait:.1f}s")
    return StreamError(event.kind, f"{event.message} ({hint})", event.status, wait, event.remedy)


def _quota_reset(limit: RateLimit | None) -> float | None:
    """A 429 without retry-after: wait for the exhausted quota's `x-ratelimit-reset-*`."""
    if limit is None:
        return None
    exhausted = [reset for remaining, reset in ((limit.remaining_requests, limit.reset_requests_s),
                                                (limit.remaining_tokens, limit.reset_tokens_s))
                 if remaining == 0 and reset is not None]
    if exhausted:
        return max(exhausted)
    resets = [s for s in (limit.reset_requests_s, limit.reset_tokens_s) if s is not None]
    return min(resets) if resets else None


def _backoff(attempt: int, retry_after: float | None, cap: float) -> float:
    """The server's retry-after when given, else capped exponential backoff with jitter."""
    if retry_after is not None:
        return min(cap, retry_after)
    base = min(cap, 0.5 * 2.0 ** (attempt - 1))
    return base * (0.5 + random.random() / 2)


async def _aclose(events: AsyncIterator[StreamEvent]) -> None:
    close = getattr(events, "aclose", None)
    if close is not None:
        try:
            await close()
        except Exception:  # noqa: BLE001 - a failing close must not hide the answer
            pass
