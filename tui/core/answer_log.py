"""An answer's row in the store while it streams: added before the request, its new text
appended every FLUSH_EVERY_S (a crash loses at most that much), finished once.

A save costs O(new text): the pieces since the last save go into the store as one part
(Store.append_text), never the whole answer again, and the timer restarts after the write,
so a slow disk spaces saves out instead of running them back to back. Every write runs in a
thread, so the event loop never waits on SQLite. A save still running when the answer
finishes can never overwrite the final text: both take one lock, and a save after the
finish does nothing.

A write that fails (disk full, a damaged page, a locked store) never loses text: the pieces
stay in memory for the next save; the finish is tried FINISH_TRIES times and then the
answer goes to a recovery file (llmtui.core.recovery), and `finish` says so in one line.
When the answer's row cannot even be created, the log starts detached (`unsaved_from_start`
says why): the answer streams as usual, no save is tried, and its finish goes straight to
a recovery file.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

from llmtui.core.store import AnswerRecord, AnswerStatus, Store

FLUSH_EVERY_S = 0.25
FINISH_TRIES = 3
FINISH_RETRY_S = 0.2


class AnswerLog:
    def __init__(self, store: Store, message_id: int | None, *, unsaved_from_start: str = "") -> None:
        self.store = store
        self.message_id = message_id
        self.unsaved_from_start = unsaved_from_start
        """Why the answer's row could not be created; "" when it was (message_id is set)."""
        self._lock = threading.Lock()
        self._finished = False
        self._last_flush = time.monotonic()
        self._text: list[str] = []  # pieces not yet in the store
        self._reasoning: list[str] = []
        self._seq = 0

    @classmethod
    async def add(
        cls, store: Store, conversation_id: int, *, lane: int, model: str, parent_id: int | None,
        reasoning_effort: str | None = None, thinking_budget: int | None = None,
        params: str | None = None,
    ) -> AnswerLog:
        try:
            message_id = await asyncio.to_thread(
                store.add_message, conversation_id, "assistant", "", lane=lane, model=model,
                status=AnswerStatus.STREAMING, parent_id=parent_id,
                reasoning_effort=reasoning_effort, thinking_budget=thinking_budget, params=params,
            )
        except (sqlite3.Error, OverflowError, ValueError) as exc:  # full, damaged, locked
            return cls(store, None, unsaved_from_start=_one_line(exc))
        return cls(store, message_id)

    async def note(self, text: str = "", reasoning: str = "") -> None:
        """A new piece of the answer (or of its thinking); saved with the others every
        FLUSH_EVERY_S."""
        if self.message_id is None:
            return  # detached: the finish's record holds the whole text for the recovery file
        if text:
            self._text.append(text)
        if reasoning:
            self._reasoning.append(reasoning)
        if time.monotonic() - self._last_flush >= FLUSH_EVERY_S:
            await self.flush()

    async def flush(self) -> None:
        text, reasoning = "".join(self._text), "".join(self._reasoning)
        if text or reasoning:
            self._text, self._reasoning = [text], [reasoning]  # kept until the write succeeds
            if await asyncio.to_thread(self._write_parts, self._seq, text, reasoning):
                self._seq += 1
                self._text, self._reasoning = [], []
        self._last_flush = time.monotonic()

    async def finish(self, record: AnswerRecord, *, model: str) -> str | None:
        """Record the end of the answer. None when stored; else one line saying what went
        wrong and where the answer was written instead."""
        problem = self.unsaved_from_start
        for attempt in range(0 if problem else FINISH_TRIES):
            problem = await asyncio.to_thread(self._write_record, record)
            if not problem:
                return None
            if attempt + 1 < FINISH_TRIES:
                await asyncio.sleep(FINISH_RETRY_S * (attempt + 1))
        from llmtui.core.recovery import save_answer

        where = await asyncio.to_thread(save_answer, record.content, model=model, why=problem,
                                        reasoning=record.reasoning)
        saved = f"it was written to {where}" if where else "no file would take it either"
        return f"could not save this answer to the history ({problem}); {saved}"

    def _write_parts(self, seq: int, text: str, reasoning: str) -> bool:
        assert self.message_id is not None
        with self._lock:
            if self._finished:
                return True
            try:
                self.store.append_text(self.message_id, seq, text, reasoning)
            except (sqlite3.Error, OverflowError):
                return False  # busy, full or damaged: the text stays in memory for the next save
            return True

    def _write_record(self, record: AnswerRecord) -> str:
        assert self.message_id is not None
        with self._lock:
            try:
                self.store.finish_message(self.message_id, record)
            except (sqlite3.Error, OverflowError, ValueError) as exc:
                return _one_line(exc)
            self._finished = True
            return ""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
