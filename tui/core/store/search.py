"""Full-text search (FTS5) over messages: conversations that match, a snippet of each,
and the user's earlier prompts.

The user's words are quoted and prefix-matched (`_fts_terms`), so FTS5 syntax typed into a
search box is just words and searching works as you type.
"""

from __future__ import annotations

from collections.abc import Sequence

from llmtui.core.store.conversations import _CONVERSATION_COLUMNS, ConversationQueries, _conversation
from llmtui.core.store.records import Conversation


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
