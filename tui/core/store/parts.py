"""A streaming answer's parts: its text (and thinking) saved piece by piece as it arrives, one
`message_parts` row per save, each text part indexed for search as it lands (`parts_fts`).

A save costs O(new text) however long the answer already is, and so does finishing a long
answer: its parts stay its text (the finish adds the last piece), so the answer is never
written, nor indexed, a second time. A short one is folded into `messages.content` at the
finish instead (`KEEP_PARTS_FROM`): one row, as every other message. A reader sees a message's
text as `content` followed by its parts, whichever way it is kept.

Search treats a message as the sum of its parts (search.py asks each word of a query on its
own, then keeps the messages that have them all): this holds because a text part ends where a
word ends (the writer, llmtui.core.answer_log, holds back a word still arriving), so no word
is split between two index entries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from llmtui.core.store import writers
from llmtui.core.store.database import MEMORY, Database
from llmtui.core.store.records import MessageGone, Progress
from llmtui.providers.money import usd

KINDS = ("text", "reasoning")

KEEP_PARTS_FROM = 256 * 1024
"""Characters (answer and thinking together) from which a finished answer keeps its parts as
its text; below, the finish writes it whole into the message row (a few ms at this size)."""


class Saved:
    """What a message's parts hold, per kind: characters, the last part's number and text."""

    def __init__(self, rows: Sequence[tuple[str, int, int, str]]) -> None:
        self.chars = {kind: 0 for kind in KINDS}
        self.last: dict[str, tuple[int, str]] = {}
        for kind, chars, seq, text in rows:
            self.chars[kind] = chars
            self.last[kind] = (seq, text)

    def __bool__(self) -> bool:
        return bool(self.last)

    @property
    def next_seq(self) -> int:
        return 1 + max((seq for seq, _ in self.last.values()), default=-1)

    def is_start_of(self, kind: str, whole: str) -> bool:
        """Whether this kind's parts are the start of `whole` (by length and their last part);
        not when their length is unknown (-1: parts salvaged from a store before v12)."""
        chars = self.chars[kind]
        if kind not in self.last:
            return True
        _, text = self.last[kind]
        return len(text) <= chars <= len(whole) and whole[chars - len(text):chars] == text


class PartQueries(Database):
    def append_text(self, message_id: int, seq: int, text: str, reasoning: str = "",
                    progress: Progress | None = None) -> None:
        """Save the next pieces of a streaming answer (and of its thinking), and its figures so
        far: costs O(new text), however long the answer already is. `seq` orders them; a retried
        write reuses its number. A text piece should end where a word ends (module docstring).

        Raises:
            MessageGone: the answer's row is not there (its conversation was deleted).
        """
        with self._tx() as db:
            if db.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone() is None:
                raise MessageGone(message_id)
            if progress is not None:
                cost = usd(progress.cost_usd)
                db.execute(
                    "UPDATE messages SET input_tokens = ?, output_tokens = ?, usage_estimated = 1, "
                    "ttft_s = ?, duration_s = ?, cost_usd = ?, cost_estimated = 1 "
                    "WHERE id = ? AND status = 'streaming'",
                    (progress.input_tokens, progress.output_tokens, progress.ttft_s,
                     progress.duration_s, None if cost is None else str(cost), message_id))
            for kind, piece in zip(KINDS, (text, reasoning), strict=True):
                if piece:
                    _put_part(db, message_id, kind, seq, piece)

    def _saved(self, db: sqlite3.Connection, message_id: int) -> Saved:
        rows = db.execute(
            "SELECT p.kind, s.chars, p.seq, p.text FROM message_parts p JOIN ("
            "SELECT kind, CASE WHEN min(chars) < 0 THEN -1 ELSE sum(chars) END AS chars, "
            "max(seq) AS last FROM message_parts "
            "WHERE message_id = ? GROUP BY kind) s ON s.kind = p.kind AND s.last = p.seq "
            "WHERE p.message_id = ?", (message_id, message_id)).fetchall()
        return Saved(rows)

    def _parts_of(self, where: str, args: Sequence[object]) -> dict[tuple[int, str], str]:
        """(message id, kind) -> the text of its parts in order, for the messages `where`
        (a condition on `messages`) selects; one query however many messages."""
        found: dict[tuple[int, str], list[str]] = {}
        for message_id, kind, text in self._rows(
                "SELECT message_id, kind, text FROM message_parts WHERE message_id IN "
                f"(SELECT id FROM messages WHERE {where}) ORDER BY message_id, kind, seq", args):
            found.setdefault((message_id, kind), []).append(text)
        return {key: "".join(texts) for key, texts in found.items()}

    def _recover_streaming(self) -> None:
        """Answers left 'streaming' by a crashed process are interrupted, text kept: the parts
        it saved are their text (and already in the search index). One another llmtui still
        streams stays 'streaming': its writer's lock is held (writers.py). The locks are looked
        at inside the write transaction, so no answer added meanwhile is judged by a stale look."""
        with self._tx() as db:
            alive = writers.live(self.path) if self.path != MEMORY else None  # sweeps the dead
            rows = db.execute("SELECT id, writer FROM messages INDEXED BY messages_streaming "
                              "WHERE status = 'streaming'").fetchall()
            dead = [(i,) for i, writer in rows if not (alive and writer in alive)]
            db.executemany(
                "UPDATE messages SET status = 'interrupted', "
                "error_message = COALESCE(error_message, 'llmtui stopped while this streamed') "
                "WHERE id = ?", dead)


def _put_part(db: sqlite3.Connection, message_id: int, kind: str, seq: int, text: str) -> None:
    db.execute("INSERT INTO message_parts (message_id, kind, seq, chars, text) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (message_id, kind, seq) DO UPDATE SET chars = excluded.chars, "
               "text = excluded.text", (message_id, kind, seq, len(text), text))
