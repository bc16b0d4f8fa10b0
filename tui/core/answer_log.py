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
a recovery file. So does an answer whose row went while it streamed (its conversation was
deleted from History or `llmtui history delete`): `news` says so once, at the save that found it.

Each save also writes the answer's figures so far (tokens, TTFT, cost: estimates until the
finish), and the first piece is saved at once: an answer cut off by a kill keeps the TTFT
and the count the screen showed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable

from llmtui.core.store import AnswerRecord, AnswerStatus, MessageGone, Progress, Store

FLUSH_EVERY_S = 0.25
FINISH_TRIES = 3
FINISH_RETRY_S = 0.2
GONE = "its conversation was deleted while it streamed"


class AnswerLog:
    def __init__(self, store: Store, message_id: int | None, *, unsaved_from_start: str = "",
                 progress: Callable[[], Progress] | None = None) -> None:
        self.store = store
        self.message_id = message_id
        self.unsaved_from_start = unsaved_from_start
        """Why the answer's row could not be created; "" when it was (message_id is set)."""
        self.progress = progress
        """The answer's figures so far, saved with each piece."""
        self.gone = False
        """The answer's row went while it streamed: nothing more is saved there."""
        self._news = ""
        self._lock = threading.Lock()
        self._finished = False
        self._last_flush = time.monotonic()
        self._text: list[str] = []  # pieces not yet in the store
        self._reasoning: list[str] = []
        self._seq = 0
        self._saved_any = False

    @classmethod
    async def add(
        cls, store: Store, conversation_id: int, *, lane: int, model: str, parent_id: int | None,
        reasoning_effort: str | None = None, thinking_budget: int | None = None,
        params: str | None = None, progress: Callable[[], Progress] | None = None,
    ) -> AnswerLog:
        try:
            message_id = await asyncio.to_thread(
                store.add_message, conversation_id, "assistant", "", lane=lane, model=model,
                status=AnswerStatus.STREAMING, parent_id=parent_id,
                reasoning_effort=reasoning_effort, thinking_budget=thinking_budget, params=params,
            )
        except (sqlite3.Error, OverflowError, ValueError) as exc:  # full, damaged, locked
            return cls(store, None, unsaved_from_start=_one_line(exc))
        return cls(store, message_id, progress=progress)

    def news(self) -> str:
        """Once: what a save found that the answer's lane should say now ('' mostly)."""
        news, self._news = self._news, ""
        return news

    async def note(self, text: str = "", reasoning: str = "") -> None:
        """A new piece of the answer (or of its thinking); saved with the others every
        FLUSH_EVERY_S."""
        if self.message_id is None or self.gone:
            return  # detached: the finish's record holds the whole text for the recovery file
        if text:
            self._text.append(text)
        if reasoning:
            self._reasoning.append(reasoning)
        # The first piece at once: the TTFT (and that anything came) is saved as it is known.
        if not self._saved_any or time.monotonic() - self._last_flush >= FLUSH_EVERY_S:
            await self.flush()

    async def flush(self) -> None:
        text, reasoning = "".join(self._text), "".join(self._reasoning)
        if text or reasoning:
            self._text, self._reasoning = [text], [reasoning]  # kept until the write succeeds
            progress = self.progress() if self.progress is not None else None
            if await asyncio.to_thread(self._write_parts, self._seq, text, reasoning, progress):
                self._seq += 1
                self._saved_any = True
                self._text, self._reasoning = [], []
        self._last_flush = time.monotonic()

    async def finish(self, record: AnswerRecord, *, model: str) -> str | None:
        """Record the end of the answer. None when stored; else one line saying what went
        wrong and where the answer was written instead."""
        problem = self.unsaved_from_start or (GONE if self.gone else "")
        for attempt in range(0 if problem else FINISH_TRIES):
            problem = await asyncio.to_thread(self._write_record, record)
            if not problem:
                return None
            if self.gone:
                break  # no row to try again
            if attempt + 1 < FINISH_TRIES:
                await asyncio.sleep(FINISH_RETRY_S * (attempt + 1))
        from llmtui.core.recovery import save_answer

        where = await asyncio.to_thread(save_answer, record.content, model=model, why=problem,
                                        reasoning=record.reasoning)
        saved = f"it was written to {where}" if where else "no file would take it either"
        return f"could not save this answer to the history ({problem}); {saved}"

    def _write_parts(self, seq: int, text: str, reasoning: str, progress: Progress | None) -> bool:
        assert self.message_id is not None
        with self._lock:
            if self._finished:
                return True
            try:
                self.store.append_text(self.message_id, seq, text, reasoning, progress)
            except MessageGone:
                self.gone = True
                self._news = (f"cannot save this answer to the history ({GONE}); "
                              "it will be written to a recovery file when it ends")
                return True  # nothing more goes there; the finish's record holds the whole text
            except (sqlite3.Error, OverflowError):
                return False  # busy, full or damaged: the text stays in memory for the next save
            return True

    def _write_record(self, record: AnswerRecord) -> str:
        assert self.message_id is not None
        with self._lock:
            try:
                self.store.finish_message(self.message_id, record)
            except MessageGone:
                self.gone = True
                return GONE
            except (sqlite3.Error, OverflowError, ValueError) as exc:
                return _one_line(exc)
            self._finished = True
            return ""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
