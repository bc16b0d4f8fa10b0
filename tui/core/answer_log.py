"""An answer's row in the store while it streams: added before the request, its text
flushed every FLUSH_EVERY_S (a crash loses at most that much), finished once.

Every write runs in a thread, so the event loop never waits on SQLite. A flush that
is still running when the answer finishes can never overwrite the final text: both
take one lock, and a flush after the finish does nothing.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

from llmtui.core.store import AnswerRecord, AnswerStatus, Store

FLUSH_EVERY_S = 0.25


class AnswerLog:
    def __init__(self, store: Store, message_id: int) -> None:
        self.store = store
        self.message_id = message_id
        self._lock = threading.Lock()
        self._finished = False
        self._last_flush = time.monotonic()

    @classmethod
    async def add(
        cls, store: Store, conversation_id: int, *, lane: int, model: str, parent_id: int | None
    ) -> AnswerLog:
        message_id = await asyncio.to_thread(
            store.add_message, conversation_id, "assistant", "", lane=lane, model=model,
            status=AnswerStatus.STREAMING, parent_id=parent_id,
        )
        return cls(store, message_id)

    async def maybe_flush(self, text: str, reasoning: str | None = None) -> None:
        """Write the text (and thinking) so far if the last write is FLUSH_EVERY_S old."""
        now = time.monotonic()
        if now - self._last_flush >= FLUSH_EVERY_S:
            self._last_flush = now
            await asyncio.to_thread(self._write_text, text, reasoning)

    async def finish(self, record: AnswerRecord) -> None:
        await asyncio.to_thread(self._write_record, record)

    def _write_text(self, text: str, reasoning: str | None = None) -> None:
        with self._lock:
            if self._finished:
                return
            try:
                self.store.update_text(self.message_id, text, reasoning)
            except sqlite3.OperationalError:
                pass  # busy past the timeout: the text stays in memory; the next write has it all

    def _write_record(self, record: AnswerRecord) -> None:
        with self._lock:
            self._finished = True
            self.store.finish_message(self.message_id, record)
