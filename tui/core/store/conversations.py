"""Conversations: starting, listing, naming and deleting them.

A conversation's messages live in messages.py; deleting a conversation takes its messages,
parts and votes with it (ON DELETE CASCADE) and any attachment no message links any more.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from llmtui.core.store.database import Database
from llmtui.core.store.records import MIXED, Conversation

_CONVERSATION_COLUMNS = "id, title, mode, models, blind, created_at, updated_at"

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

    def note_models(self, conversation_id: int, models: Sequence[str]) -> None:
        """A turn on `models` in a conversation: it lists every model it used (in the order they
        joined) and its mode says what its turns were: all one model (chat), all several
        (compare), or both (mixed)."""
        with self._tx() as db:
            row = db.execute("SELECT mode, models FROM conversations WHERE id = ?",
                             (conversation_id,)).fetchone()
            if row is None:
                return
            listed = json.loads(row[1])
            merged = listed + [m for m in dict.fromkeys(models) if m not in listed]
            kind = "compare" if len(models) > 1 else "chat"
            mode = row[0] if row[0] in (kind, MIXED) else MIXED
            if merged != listed or mode != row[0]:
                db.execute("UPDATE conversations SET models = ?, mode = ? WHERE id = ?",
                           (json.dumps(merged), mode, conversation_id))

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
