"""Imports: a whole conversation with its own timestamps (llmtui's JSON export, another
tool's history, llmtui.core.transfer), in one transaction; the same one twice is found.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from llmtui.core.store.messages import MessageQueries

# What an import may set on a message (the rest are left to their defaults).
_IMPORT_COLUMNS = (
    "conversation_id", "lane", "parent_id", "role", "content", "model", "status", "created_at",
    "input_tokens", "output_tokens", "cached_input_tokens", "usage_estimated", "cost_usd",
    "cost_estimated", "cost_note", "ttft_s", "duration_s", "finish_reason", "error_kind",
    "error_message", "served_by", "reasoning", "answer_ttft_s", "thinking_s", "reasoning_tokens",
    "reasoning_estimated", "reasoning_effort", "thinking_budget", "params", "reasoning_redacted",
)


class ImportQueries(MessageQueries):
    def find_imported(self, created_at: float, title: str) -> int | None:
        """A conversation with this start time and title: importing the same file twice is a no-op."""
        row = self._db.execute("SELECT id FROM conversations WHERE created_at = ? AND title = ?",
                              (created_at, title)).fetchone()
        return int(row[0]) if row else None

    def import_conversation(self, header: Mapping[str, Any],
                            messages: Sequence[Mapping[str, Any]]) -> int:
        """Insert a whole conversation with its own timestamps, in one transaction.

        Each message may carry `key` and `parent_key` (its id in the source): parents are
        remapped to the new ids, and `parts` (its attachments) are linked to it. Unknown
        fields are ignored, not trusted.
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
                if m.get("parts"):
                    self.save_parts(int(cur.lastrowid or 0), m["parts"])
            return conversation_id
