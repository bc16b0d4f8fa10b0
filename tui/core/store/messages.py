"""Messages: a prompt or an answer, added whole or streamed in parts (parts.py), finished,
read back with their parts.

A process that dies mid-answer leaves its parts: the next open marks the answer interrupted,
its text kept (`_recover_streaming`). A streaming answer names its process's lock
(writers.py), so an answer another llmtui still streams is not taken for one whose process died.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from llmtui.core.store import writers
from llmtui.core.store.attachments import AttachmentQueries
from llmtui.core.store.conversations import ConversationQueries
from llmtui.core.store.database import MEMORY
from llmtui.core.store.parts import KEEP_PARTS_FROM, KINDS, PartQueries, _put_part
from llmtui.core.store.records import AnswerRecord, MessageGone, PromptAdded, StoredMessage
from llmtui.providers.parts import Part

_MESSAGE_COLUMNS = (
    "id, conversation_id, lane, parent_id, role, content, model, status, created_at, "
    "input_tokens, output_tokens, cached_input_tokens, usage_estimated, cost_usd, "
    "cost_estimated, cost_note, ttft_s, duration_s, finish_reason, error_kind, "
    "error_message, served_by, coalesce(reasoning, ''), answer_ttft_s, thinking_s, "
    "reasoning_tokens, reasoning_estimated, reasoning_effort, thinking_budget, params, "
    "reasoning_redacted"
)


def _message(row: Sequence[Any]) -> StoredMessage:
    values = list(row)
    values[12] = bool(values[12])
    values[14] = bool(values[14])
    values[26] = bool(values[26])
    values[30] = bool(values[30])
    return StoredMessage(*values)


class MessageQueries(ConversationQueries, AttachmentQueries, PartQueries):
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        lane: int = 0,
        model: str | None = None,
        status: str = "done",
        parent_id: int | None = None,
        reasoning_effort: str | None = None,
        thinking_budget: int | None = None,
        params: str | None = None,
    ) -> int:
        """`reasoning_effort` / `thinking_budget`: what an answer was asked to think with;
        `params`: the sampling parameters it is sent with (JSON, sampling.to_json)."""
        now = time.time()
        # Locked before the row names it: while the row is 'streaming', the lock is held.
        writer = writers.claim(self.path) if status == "streaming" and self.path != MEMORY else None
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO messages (conversation_id, lane, parent_id, role, content, model, "
                "status, created_at, reasoning_effort, thinking_budget, params, writer) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, lane, parent_id, role, content, model, status, now,
                 reasoning_effort, thinking_budget, params, writer),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?, "
                "title = CASE WHEN title = '' AND ? = 'user' THEN substr(?, 1, 80) ELSE title END "
                "WHERE id = ?",
                (now, role, " ".join(content.split()), conversation_id),
            )
            return int(cur.lastrowid or 0)

    def add_prompt(
        self, conversation_id: int | None, prompt: str, *, parent_id: int | None = None,
        parts: Sequence[Part] = (), models: Sequence[str] = (), blind: bool = False,
        system: str | None = None, preset: str | None = None, seen: Collection[int] = (),
    ) -> PromptAdded:
        """The user's prompt and its attachments, in `conversation_id` or, when that is None
        or was deleted meanwhile (History, another llmtui, `llmtui history delete`), in a new
        conversation (`models`, `blind`, `system`, `preset`). In a conversation that goes on,
        `models` join its list; the prompts in it that `seen` does not name come back as
        `unseen` (another llmtui's).

        One transaction: a store that fails half-way (a damaged page) keeps nothing of it.
        """
        with self._tx():
            gone: int | None = None
            unseen: tuple[int, ...] = ()
            if conversation_id is not None and self.conversation(conversation_id) is None:
                gone, conversation_id, parent_id = conversation_id, None, None
            if conversation_id is None:
                conversation_id = self.new_conversation(models, blind=blind, system=system,
                                                        preset=preset)
            else:
                self.note_models(conversation_id, models)
                known = set(seen)
                unseen = tuple(i for i in self.prompt_ids(conversation_id) if i not in known)
            prompt_id = self.add_message(conversation_id, "user", prompt, parent_id=parent_id)
            if parts:
                self.save_parts(prompt_id, parts)
            return PromptAdded(conversation_id, prompt_id, gone, unseen)

    def prompt_ids(self, conversation_id: int) -> list[int]:
        """The ids of a conversation's prompts (its user messages), oldest first."""
        return [int(r[0]) for r in self._rows(
            "SELECT id FROM messages WHERE conversation_id = ? AND role = 'user' ORDER BY id",
            (conversation_id,))]

    def update_text(self, message_id: int, content: str, reasoning: str | None = None) -> None:
        """Replace a message's text (and thinking, when given); a streaming answer appends
        parts instead."""
        with self._tx() as db:
            kinds = ("text",) if reasoning is None else KINDS
            db.execute(f"DELETE FROM message_parts WHERE message_id = ? AND kind IN "
                       f"({','.join('?' * len(kinds))})", (message_id, *kinds))
            if reasoning is None:
                db.execute("UPDATE messages SET content = ? WHERE id = ?", (content, message_id))
            else:
                db.execute("UPDATE messages SET content = ?, reasoning = ? WHERE id = ?",
                           (content, reasoning, message_id))

    def finish_message(self, message_id: int, record: AnswerRecord) -> None:
        """Record the end of an answer: text, status, usage, cost, timings, error.

        A long answer's saved parts stay its text and only what came after the last save is
        added (parts.py); a short one is written whole and its parts dropped.

        Raises:
            MessageGone: the answer's row is not there (its conversation was deleted).
        """
        usage, cost = record.usage, record.cost
        counts = (None, None, None, None) if usage is None else (
            usage.input_tokens, usage.output_tokens, usage.cached_input_tokens,
            usage.cache_write_tokens)
        figures = (
            str(record.status), *counts, int(record.usage_estimated),
            None if cost.amount is None else str(cost.amount), int(cost.estimated),
            cost.note or None, record.ttft_s, record.duration_s, record.finish_reason,
            record.error_kind, record.error_message, record.served_by,
            json.dumps(dict(usage.raw)) if usage and usage.raw else None,
            record.answer_ttft_s, record.thinking_s, record.reasoning_tokens,
            int(record.reasoning_estimated), int(record.reasoning_redacted))
        whole = dict(zip(KINDS, (record.content, record.reasoning), strict=True))
        with self._tx() as db:
            own = db.execute("SELECT content = '' AND reasoning IS NULL FROM messages WHERE id = ?",
                             (message_id,)).fetchone()
            if own is None:
                raise MessageGone(message_id)
            saved = self._saved(db, message_id)
            keep = (len(record.content) + len(record.reasoning) >= KEEP_PARTS_FROM
                    and bool(own[0])  # the parts alone are its text
                    and all(saved.is_start_of(kind, whole[kind]) for kind in KINDS))
            if keep:
                seq = saved.next_seq
                for kind in KINDS:
                    if tail := whole[kind][saved.chars[kind]:]:
                        _put_part(db, message_id, kind, seq, tail)
                text: tuple[str | None, ...] = ()
            else:
                db.execute("DELETE FROM message_parts WHERE message_id = ?", (message_id,))
                text = (record.content, record.reasoning or None)
            db.execute(
                f"UPDATE messages SET {'content = ?, reasoning = ?, ' if text else ''}"
                "status = ?, input_tokens = ?, output_tokens = ?, "
                "cached_input_tokens = ?, cache_write_tokens = ?, usage_estimated = ?, "
                "cost_usd = ?, cost_estimated = ?, cost_note = ?, ttft_s = ?, duration_s = ?, "
                "finish_reason = ?, error_kind = ?, error_message = ?, served_by = ?, "
                "usage_raw = ?, answer_ttft_s = ?, thinking_s = ?, "
                "reasoning_tokens = ?, reasoning_estimated = ?, reasoning_redacted = ? WHERE id = ?",
                (*text, *figures, message_id),
            )

    def messages(self, conversation_id: int, lane: int | None = None) -> list[StoredMessage]:
        where = "conversation_id = ?"
        args: tuple[Any, ...] = (conversation_id,)
        if lane is not None:
            where += " AND lane = ?"
            args += (lane,)
        rows = self._db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE {where} ORDER BY id",
                                args).fetchall()
        parts = self._parts_of(where, args)
        return [_with_parts(_message(r), parts) for r in rows]

    def message(self, message_id: int) -> StoredMessage | None:
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        return _with_parts(_message(row), self._parts_of("id = ?", (message_id,))) if row else None

    def message_count(self, conversation_id: int) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
        )

    def message_counts(self, conversation_ids: Sequence[int]) -> dict[int, int]:
        """Messages per conversation, in one query per 900 ids (not one per row)."""
        counts: dict[int, int] = {}
        ids = list(conversation_ids)
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for cid, n in self._db.execute(
                f"SELECT conversation_id, count(*) FROM messages WHERE conversation_id IN ({marks}) "
                "GROUP BY conversation_id", chunk,
            ):
                counts[int(cid)] = int(n)
        return counts


def _with_parts(message: StoredMessage, parts: dict[tuple[int, str], str]) -> StoredMessage:
    """The message with the text of its parts (an answer streaming, or a long one) after its own."""
    text, reasoning = (parts.get((message.id, kind), "") for kind in KINDS)
    if not text and not reasoning:
        return message
    return replace(message, content=message.content + text, reasoning=message.reasoning + reasoning)
