"""Full-text search (FTS5) over messages: conversations that match, a snippet of each,
and the user's earlier prompts (the composer's recall and its alt+r search).

The user's words are quoted and prefix-matched (`_fts_terms`), so FTS5 syntax typed into a
search box is just words and searching works as you type. A prompt search reads a bounded
page of hits, each a preview; the whole prompt is read only for the one the user picks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from llmtui.core.store.conversations import _CONVERSATION_COLUMNS, ConversationQueries, _conversation
from llmtui.core.store.records import Conversation, PromptHit

PROMPT_HITS = 50
"""Hits per prompt search: a screenful or two; typing more words narrows it."""
PREVIEW_CHARS = 300
"""Enough of a prompt for a one-line row (a pasted page is never loaded to draw a list)."""
RECENT_SCAN = 2000
"""With no words typed, the newest prompts are listed from this many latest user messages."""

_HIT_FIELDS = "max(m.id), substr(m.content, 1, ?), m.created_at, c.title"
# SQLite takes bare columns (created_at, title) from the row that max(m.id) picked.


def _fts_terms(query: str) -> str:
    """Each word quoted (no FTS syntax errors from users) and prefix-matched (search as you type)."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)


class SearchQueries(ConversationQueries):
    def search(self, query: str, limit: int = 100) -> list[Conversation]:
        """Conversations whose messages match an FTS5 query (plain words are fine)."""
        terms = _fts_terms(query)
        if not terms:
            return self.conversations(limit)
        rows = self._db.execute(
            "SELECT DISTINCT c.id, c.title, c.mode, c.models, c.blind, c.created_at, c.updated_at "
            "FROM messages_fts f JOIN messages m ON m.id = f.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? ORDER BY c.updated_at DESC LIMIT ?",
            (terms, limit),
        ).fetchall()
        title_rows = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
            "WHERE title LIKE ? ORDER BY updated_at DESC LIMIT ?",
            (f"%{query}%", limit),
        ).fetchall()
        seen: dict[int, Conversation] = {}
        for row in [*title_rows, *rows]:
            seen.setdefault(row[0], _conversation(row))
        return sorted(seen.values(), key=lambda c: (-c.updated_at, -c.id))[:limit]

    def search_snippets(self, query: str, conversation_ids: Sequence[int],
                        mark: tuple[str, str] = ("\ue000", "\ue001")) -> dict[int, str]:
        """For each conversation, a few words around its first message matching `query`,
        with the matched words between the `mark` pair."""
        terms = _fts_terms(query)
        found: dict[int, str] = {}
        ids = list(conversation_ids)
        for start in range(0, len(ids) if terms else 0, 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for cid, text in self._db.execute(
                f"SELECT m.conversation_id, snippet(messages_fts, 0, ?, ?, '…', 12) "
                "FROM messages_fts f JOIN messages m ON m.id = f.rowid "
                f"WHERE messages_fts MATCH ? AND m.conversation_id IN ({marks}) ORDER BY m.id",
                (mark[0], mark[1], terms, *chunk),
            ):
                found.setdefault(int(cid), str(text))
        return found

    def recent_prompts(self, limit: int = 200) -> list[str]:
        """The user's latest distinct prompts across conversations, oldest first (for recall)."""
        rows = self._db.execute(
            "SELECT content FROM messages WHERE role = 'user' GROUP BY content "
            "ORDER BY max(id) DESC LIMIT ?", (limit,)).fetchall()
        return [str(r[0]) for r in reversed(rows)]

    def search_prompts(self, query: str, limit: int = PROMPT_HITS) -> list[PromptHit]:
        """Distinct prompts the user sent that match every word (prefixes too), newest first;
        with no words, the newest prompts."""
        terms = _fts_terms(query)
        if terms:
            sql = (f"SELECT {_HIT_FIELDS} FROM messages_fts f JOIN messages m ON m.id = f.rowid "
                   "JOIN conversations c ON c.id = m.conversation_id "
                   "WHERE messages_fts MATCH ? AND m.role = 'user' "
                   "GROUP BY m.content ORDER BY max(m.id) DESC LIMIT ?")
            args: tuple[object, ...] = (PREVIEW_CHARS, terms, limit)
        else:
            sql = (f"SELECT {_HIT_FIELDS} FROM messages m "
                   "JOIN conversations c ON c.id = m.conversation_id "
                   "WHERE m.id IN (SELECT id FROM messages WHERE role = 'user' ORDER BY id DESC LIMIT ?) "
                   "GROUP BY m.content ORDER BY max(m.id) DESC LIMIT ?")
            args = (PREVIEW_CHARS, RECENT_SCAN, limit)
        try:
            rows = self._rows(sql, args)
        except sqlite3.OperationalError:  # words FTS5 still cannot parse: no hits, not a crash
            return []
        return [PromptHit(int(mid), str(text), float(when), str(title or ""))
                for mid, text, when, title in rows if str(text).strip()]

    def prompt_text(self, message_id: int) -> str | None:
        """The whole prompt of a hit (None if it was deleted meanwhile)."""
        rows = self._rows("SELECT content FROM messages WHERE id = ? AND role = 'user'", (message_id,))
        return str(rows[0][0]) if rows else None
