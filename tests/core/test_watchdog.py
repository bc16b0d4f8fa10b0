"""The stream's stall timer (core/watchdog.py via core/retry.with_retries): one timer per try,
not one per event, with the idle/read timeouts, the answer deadline and Esc behaving as before."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from llmtui.core.config import Network
from llmtui.core.retry import with_retries
from llmtui.providers.base import StreamDone, StreamError, StreamEvent, TextDelta


def stream(tokens: int, *, pause: float = 0.0, stall_after: int | None = None):  # type: ignore[no-untyped-def]
    async def events() -> AsyncIterator[StreamEvent]:
        for i in range(tokens):
            if i == stall_after:
                await asyncio.sleep(3600)
            await asyncio.sleep(pause)
            yield TextDelta(f"w{i} ")
        yield StreamDone("stop")

    return events


async def collect(net: Network, open_stream: Any, first_wait: float | None = None) -> list[Any]:
    return [e async for e in with_retries(open_stream, net, "bench", first_wait=first_wait)]


def test_thousands_of_events_schedule_a_handful_of_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()
        real = loop.call_at
        calls = []

        def counting(when: float, callback: Any, *args: Any, **kw: Any) -> asyncio.TimerHandle:
            calls.append(callback)
            return real(when, callback, *args, **kw)

        monkeypatch.setattr(loop, "call_at", counting)
        events = await collect(Network(), stream(3000))
        assert len(calls) < 10, f"{len(calls)} timers for 3,000 events"
        return events

    events = asyncio.run(main())
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "".join(
        f"w{i} " for i in range(3000))
    assert isinstance(events[-1], StreamDone)


def test_a_stall_mid_stream_is_the_idle_timeout() -> None:
    events = asyncio.run(collect(Network(idle_timeout=0.05, read_timeout=30), stream(5, stall_after=3)))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["w0 ", "w1 ", "w2 "]
    error = events[-1]
    assert isinstance(error, StreamError)
    assert "stalled for 0.05s" in error.message and error.setting == "[network] idle_timeout"


def test_no_first_token_is_the_read_timeout_and_retried() -> None:
    net = Network(read_timeout=0.05, idle_timeout=30, max_retries=0)
    events = asyncio.run(collect(net, stream(5, stall_after=0)))
    error = events[-1]
    assert isinstance(error, StreamError)
    assert "no reply for 0.05s" in error.message and error.setting == "[network] read_timeout"


def test_a_steady_stream_longer_than_the_timeout_is_not_a_stall() -> None:
    # Each wait is short; together they last many idle timeouts.
    events = asyncio.run(collect(Network(idle_timeout=0.3, read_timeout=0.3), stream(60, pause=0.02)))
    assert isinstance(events[-1], StreamDone)
    assert len([e for e in events if isinstance(e, TextDelta)]) == 60


def test_the_answer_deadline_ends_a_steady_drip() -> None:
    net = Network(idle_timeout=5, read_timeout=5, max_answer_s=0.2)
    events = asyncio.run(collect(net, stream(10_000, pause=0.01)))
    error = events[-1]
    assert isinstance(error, StreamError) and error.setting == "[network] max_answer_s"
    assert any(isinstance(e, TextDelta) for e in events)


def test_a_cancel_while_waiting_is_a_cancel_not_a_timeout() -> None:
    async def main() -> None:
        got: list[Any] = []

        async def consume() -> None:
            async for event in with_retries(stream(5, stall_after=2), Network(idle_timeout=30), "b"):
                got.append(event)

        task = asyncio.create_task(consume())
        while len(got) < 2:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert all(isinstance(e, TextDelta) for e in got)

    asyncio.run(main())
