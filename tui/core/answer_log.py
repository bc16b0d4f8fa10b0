"""An answer's row in the store while it streams: added before the request, its new text
saved every FLUSH_EVERY_S (a crash loses at most that much, and the save under way), finished
once.

A save costs O(new text): the pieces since the last save go into the store as one part
(Store.append_text), never the whole answer again. Saves run in a task *beside* the stream,
not in its way: the stream never waits for SQLite, and the next save starts when the last
has ended, so a slow disk spaces saves out instead of queueing them. A fast stream saves
sooner, at SAVE_CHARS pending, so the piece left for the finish stays small. A text part
ends where a word ends (the rest of a word still arriving waits for the next save): the
store indexes each part for search as it lands, and a word cut in two would be found by
neither half (store/parts.py). A save still running when the answer finishes can never
overwrite the final text: the finish waits for it, both take one lock, and a save after the
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
from llmtui.providers.base import ChatMessage

FLUSH_EVERY_S = 0.25
SAVE_CHARS = 1024 * 1024
"""Pending characters that start a save before FLUSH_EVERY_S is up (a fast stream)."""
WORD_MAX = 1024
"""How far back from a save's end to look for a word's end; past it, the save is cut anyway
(one word that long is not worth holding back)."""
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
        self._pending = 0  # their characters
        self._seq = 0
        self._saved_any = False
        self._saving: asyncio.Task[None] | None = None  # the save under way, if any

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
        FLUSH_EVERY_S, or at SAVE_CHARS, in a save that runs beside the stream."""
        if self.message_id is None or self.gone:
            return  # detached: the finish's record holds the whole text for the recovery file
        if text:
            self._text.append(text)
        if reasoning:
            self._reasoning.append(reasoning)
        self._pending += len(text) + len(reasoning)
        # The first piece at once: the TTFT (and that anything came) is saved as it is known.
        if self._saving is None and (not self._saved_any or self._pending >= SAVE_CHARS
                                     or time.monotonic() - self._last_flush >= FLUSH_EVERY_S):
            self._start_save()

    def _start_save(self) -> None:
        text, reasoning = "".join(self._text), "".join(self._reasoning)
        cut = _word_end(text)
        text, rest = text[:cut], text[cut:]
        self._text, self._reasoning, self._pending = [rest] if rest else [], [], len(rest)
        if text or reasoning or not self._saved_any:
            progress = self.progress() if self.progress is not None else None
            self._saving = asyncio.ensure_future(self._save(text, reasoning, progress))
        else:
            self._last_flush = time.monotonic()

    async def _save(self, text: str, reasoning: str, progress: Progress | None) -> None:
        saved = False
        try:
            saved = await asyncio.to_thread(self._write_parts, self._seq, text, reasoning, progress)
        finally:
            if saved:
                self._seq += 1
                self._saved_any = True
            else:  # kept for the next save, ahead of what came since
                self._text.insert(0, text)
                self._reasoning.insert(0, reasoning)
                self._pending += len(text) + len(reasoning)
            self._last_flush = time.monotonic()
            self._saving = None

    async def saved(self) -> None:
        """Wait for the save under way, if any (it is not cancelled with the waiter)."""
        if self._saving is not None:
            await asyncio.shield(self._saving)

    async def finish(self, record: AnswerRecord, *, model: str,
                     prompt: ChatMessage | None = None) -> str | None:
        """Record the end of the answer. None when stored; else one line saying what went
        wrong and where the answer was written instead, with `prompt` (what asked for it).
        The store adds what no save took."""
        await self.saved()  # in order: the record goes after the save under way
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

        asked, attached = (prompt.content, [part.name for part in prompt.parts]) if prompt else ("", [])
        where = await asyncio.to_thread(save_answer, record.content, model=model, why=problem,
                                        reasoning=record.reasoning, prompt=asked, attached=attached)
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


def _word_end(text: str) -> int:
    """Where `text` may be cut so no word is split: after its last whitespace within WORD_MAX
    of its end; with none there, 0 (the word waits for its end) or, past WORD_MAX, its end."""
    for at in range(len(text), max(0, len(text) - WORD_MAX), -1):
        if text[at - 1].isspace():
            return at
    return len(text) if len(text) > WORD_MAX or not text else 0
