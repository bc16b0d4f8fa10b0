"""The user's earlier prompts, searched across every conversation (the composer's alt+r).

A companion of the store (like arena_store): it reads through `Store.rows`, and the words go
through the same FTS5 index and quoting that History search uses. Every read is bounded (a
page of hits, each a preview); the whole prompt is read only for the one the user picks.
Blocking: call from a worker thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmtui.core.store.search import _fts_terms

if TYPE_CHECKING:
    from llmtui.core.store import Store

LIMIT = 50
"""Hits per search: a screenful or two; typing more words narrows it."""
PREVIEW_CHARS = 300
"""Enough of a prompt for a one-line row (a pasted page is never loaded to draw a list)."""
RECENT_SCAN = 2000
"""With no words typed, the newest prompts are listed from this many latest user messages."""


@dataclass(frozen=True, slots=True)
class PromptHit:
    message_id: int
    """The newest message that sent this prompt (read in full with `prompt_text`)."""
    preview: str
    created_at: float
    conversation: str
    """The title of the conversation it was sent in."""


_FIELDS = "max(m.id), substr(m.content, 1, ?), m.created_at, c.title"
# SQLite takes bare columns (created_at, title) from the row that max(m.id) picked.


def search_prompts(store: Store, query: str, limit: int = LIMIT) -> list[PromptHit]:
    """Distinct prompts the user sent that match every word (prefixes too), newest first;
    with no words, the newest prompts."""
    terms = _fts_terms(query)
    if terms:
        sql = (f"SELECT {_FIELDS} FROM messages_fts f JOIN messages m ON m.id = f.rowid "
               "JOIN conversations c ON c.id = m.conversation_id "
               "WHERE messages_fts MATCH ? AND m.role = 'user' "
               "GROUP BY m.content ORDER BY max(m.id) DESC LIMIT ?")
        args: tuple[object, ...] = (PREVIEW_CHARS, terms, limit)
    else:
        sql = (f"SELECT {_FIELDS} FROM messages m JOIN conversations c ON c.id = m.conversation_id "
               "WHERE m.id IN (SELECT id FROM messages WHERE role = 'user' ORDER BY id DESC LIMIT ?) "
               "GROUP BY m.content ORDER BY max(m.id) DESC LIMIT ?")
        args = (PREVIEW_CHARS, RECENT_SCAN, limit)
    try:
        rows = store.rows(sql, args)
    except sqlite3.OperationalError:  # words FTS5 still cannot parse: no hits, not a crash
        return []
    return [PromptHit(int(mid), str(text), float(when), str(title or ""))
            for mid, text, when, title in rows if str(text).strip()]


def prompt_text(store: Store, message_id: int) -> str | None:
    """The whole prompt of a hit (None if it was deleted meanwhile)."""
    rows = store.rows("SELECT content FROM messages WHERE id = ? AND role = 'user'", (message_id,))
    return str(rows[0][0]) if rows else None
