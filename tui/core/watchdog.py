"""One stall timer per stream try, instead of a fresh `asyncio.timeout` around every event.

At thousands of events a second a per-event timeout is a timer pushed onto the loop's heap and
cancelled again for every token. Here the stream notes when each wait for the next event began
(two attribute writes); one timer wakes at the earliest moment the wait could be too long, finds
the wait either still too long (then it cancels the waiting task, and the wait raises
TimeoutError, as `asyncio.timeout` would) or already over (then it sleeps again until the current
wait's due time). The timer runs about once per timeout period, whatever the token rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TypeVar

T = TypeVar("T")


class Watchdog:
    """Times each wait on `next()` against `timeout`, and all of them against `deadline`."""

    def __init__(self, timeout: float, deadline: float) -> None:
        """`deadline` is a time.monotonic() moment (the whole answer's limit)."""
        self._loop = asyncio.get_running_loop()
        self.timeout = timeout
        self._deadline = self._loop.time() + (deadline - time.monotonic())
        self._since: float | None = None  # when the current wait began (None: not waiting)
        self._task: asyncio.Task[object] | None = None
        self._fired = ""  # "stall" or "deadline" once the timer cancelled a wait
        self._handle: asyncio.TimerHandle | None = None
        self._arm(self._loop.time())

    @property
    def deadline_passed(self) -> bool:
        return self._fired == "deadline"

    def set_timeout(self, timeout: float) -> None:
        """A new limit for each wait from now on (idle_timeout once the first token came)."""
        if timeout != self.timeout:
            self.timeout = timeout
            self._arm(self._loop.time())

    async def next(self, events: AsyncIterator[T]) -> T:
        """The next event; TimeoutError if the wait is longer than `timeout` or passes the deadline."""
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        now = self._loop.time()
        if now >= self._deadline:
            self._fired = "deadline"
            raise TimeoutError
        self._since, self._task = now, task
        try:
            return await events.__anext__()
        except asyncio.CancelledError:
            # Ours only if no one else asked for a cancel too (as asyncio.timeout decides).
            if self._fired and task.uncancel() <= cancelling:
                raise TimeoutError from None
            raise
        finally:
            self._since = self._task = None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _due(self, now: float) -> float:
        start = now if self._since is None else self._since
        return min(start + self.timeout, self._deadline)

    def _arm(self, now: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._loop.call_at(self._due(now), self._check)

    def _check(self) -> None:
        self._handle = None
        now = self._loop.time()
        if self._task is not None and not self._fired and now >= self._due(now):
            self._fired = "deadline" if now >= self._deadline else "stall"
            self._task.cancel()
            return
        if not self._fired and now < self._deadline:  # past it, the next wait fails at once
            self._arm(now)
