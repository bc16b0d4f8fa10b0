"""Conversations: starting, listing, naming and deleting them, and importing a whole one.

A conversation's messages live in messages.py; deleting a conversation takes its messages,
parts and votes with it (ON DELETE CASCADE) and any attachment no message links any more.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from llmtui.core.store.database import Database
from llmtui.core.store.records import Conversation

_CONVERSATION_COLUMNS = "id, title, mode, models, blind, created_at, updated_at"

# What an import may set on a message (the rest are left to their defaults).
_IMPORT_COLUMNS = (
    "conversation_id", "lane", "parent_id", "role", "content", "model", "status", "created_at",
    "input_tokens", "output_tokens", "cached_input_tokens", "usage_estimated", "cost_usd",
    "cost_estimated", "cost_note", "ttft_s", "duration_s", "finish_reason", "error_kind",
    "error_message", "served_by", "reasoning", "answer_ttft_s", "thinking_s", "reasoning_tokens",
    "reasoning_estimated", "reasoning_effort", "thinking_budget", "params",
)


def _conversation(row: Sequence[Any]) -> Conversation:
    id_, title, mode, models, blind, created, updated = row
    return Conversation(id_, title, mode, tuple(json.loads(models)), bool(blind), created, updated)


class ConversationQueries(Database):
    def new_conversation(
        self, models: Sequence[str], *, title: str = "", mode: str | None = None, blind: bool = False,
        system: str | None = None, preset: str | None = None,
    ) -> int:
        now = time.time()
        mode = mode or ("compare" if len(models) > 1 else "chat")
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, mode, models, blind, created_at, updated_at, system, "
                "preset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (title, mode, json.dumps(list(models)), int(blind), now, now, system, preset),
            )
            return int(cur.lastrowid or 0)

    def preset_of(self, conversation_id: int) -> str | None:
        """The preset a conversation was started with, if any."""
        row = self._db.execute("SELECT preset FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row[0] if row else None

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
            "WHERE id = ?",
            (conversation_id,),
        ).fetchone()
        return _conversation(row) if row else None

    def conversations(self, limit: int = 200, offset: int = 0) -> list[Conversation]:
        rows = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
            "ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [_conversation(r) for r in rows]

    def last_conversation_id(self) -> int | None:
        row = self._db.execute(
            "SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else None

    def set_system(self, conversation_id: int, system: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE conversations SET system = ? WHERE id = ?", (system, conversation_id))

    def system_prompt(self, conversation_id: int) -> str | None:
        row = self._db.execute("SELECT system FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row[0] if row else None

    def rename(self, conversation_id: int, title: str) -> bool:
        """False if there is no such conversation."""
        with self._tx() as db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
            return cur.rowcount > 0

    def delete_conversation(self, conversation_id: int) -> bool:
        """False if there was no such conversation."""
        with self._tx() as db:
            cur = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            # An attachment no message links to any more goes with it.
            db.execute("DELETE FROM attachments WHERE sha256 NOT IN "
                       "(SELECT sha256 FROM message_attachments)")
            return cur.rowcount > 0

    def find_imported(self, created_at: float, title: str) -> int | None:
        """A conversation with this start time and title: importing the same file twice is a no-op."""
        row = self._db.execute("SELECT id FROM conversations WHERE created_at = ? AND title = ?",
                              (created_at, title)).fetchone()
        return int(row[0]) if row else None

    def import_conversation(self, header: Mapping[str, Any], messages: Sequence[Mapping[str, Any]],
                            each: Callable[[sqlite3.Connection, int, Mapping[str, Any]], None] | None = None,
                            ) -> int:
        """Insert a whole conversation with its own timestamps, in one transaction.

        Each message may carry `key` and `parent_key` (its id in the source): parents are
        remapped to the new ids. Unknown fields are ignored, not trusted. `each(db, new id,
        message)` runs in the same transaction after each message (its attachments).
        """
        cols = [c for c in _IMPORT_COLUMNS if c in ("conversation_id", "parent_id")
                or any(c in m for m in messages)]
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, mode, models, blind, created_at, updated_at, system, "
                "preset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (str(header.get("title") or ""), str(header.get("mode") or "chat"),
                 json.dumps(list(header.get("models") or [])), int(bool(header.get("blind"))),
                 float(header["created_at"]), float(header.get("updated_at") or header["created_at"]),
                 header.get("system"), header.get("preset")),
            )
            conversation_id = int(cur.lastrowid or 0)
            new_ids: dict[Any, int] = {}
            sql = f"INSERT INTO messages ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for m in messages:
                row = {**m, "conversation_id": conversation_id,
                       "parent_id": new_ids.get(m.get("parent_key"))}
                cur = db.execute(sql, [row.get(c) for c in cols])
                if m.get("key") is not None:
                    new_ids[m["key"]] = int(cur.lastrowid or 0)
                if each is not None:
                    each(db, int(cur.lastrowid or 0), m)
            return conversation_id
