"""The one SQLite file llmtui reads that is not its own: simonw/llm's `logs.db`, opened
read-only for an import (llmtui.core.foreign turns its rows into conversations).

Schema (llm/migrations.py m010+): conversations(id, name, model); responses(id, model,
prompt, system, response, conversation_id, duration_ms, datetime_utc, input_tokens,
output_tokens, ...). llm's own file is never written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class NotLlmLogs(ValueError):
    """The file cannot be read as llm's logs (the message says why)."""


@dataclass(frozen=True, slots=True)
class LlmLogs:
    names: dict[Any, Any]
    """Conversation id -> its name (empty when the file has no conversations table)."""
    responses: list[tuple[Any, ...]]
    """(conversation_id, model, prompt, system, response, duration_ms, datetime_utc,
    input_tokens, output_tokens) in time order; the token counts are None in an older file."""


def read_responses(path: Path) -> LlmLogs:
    """Every response in llm's `logs.db`, and its conversations' names. Raises NotLlmLogs."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotLlmLogs(f"cannot open as SQLite: {exc}") from None
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "responses" not in tables:
            raise NotLlmLogs("an SQLite file without llm's `responses` table (is it llm's logs.db?)")
        names = {}
        if "conversations" in tables:
            names = {cid: name for cid, name in db.execute("SELECT id, name FROM conversations")}
        cols = {r[1] for r in db.execute("PRAGMA table_info(responses)")}
        tokens = "input_tokens, output_tokens" if {"input_tokens", "output_tokens"} <= cols else "NULL, NULL"
        rows = db.execute(
            "SELECT conversation_id, model, prompt, system, response, duration_ms, datetime_utc, "
            f"{tokens} FROM responses ORDER BY datetime_utc, rowid").fetchall()
    except sqlite3.Error as exc:
        raise NotLlmLogs(f"cannot read llm's tables: {exc}") from None
    finally:
        db.close()
    return LlmLogs(names, rows)
