"""Full-text search (FTS5) over messages: conversations that match, a snippet of each,
and the user's earlier prompts (the composer's recall and its alt+r search).

The user's words are quoted and prefix-matched (`_fts_words`), so FTS5 syntax typed into a
search box is just words and searching works as you type. A message matches when it has every
word, in its own text (`messages_fts`) or in any of its parts (`parts_fts`, parts.py): each
word is looked up on its own and the messages that have them all are kept. A prompt search reads a bounded
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


def _fts_words(query: str) -> list[str]:
    """Each word quoted (no FTS syntax errors from users) and prefix-matched (search as you type),
    once each."""
    words = [w.replace('"', "") for w in query.split()]
    return list(dict.fromkeys(f'"{w}"*' for w in words if w))


def _like_literal(text: str) -> str:
    """`text` for a LIKE pattern that matches it as typed: % and _ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_terms(query: str) -> str:
    """All the words, as one FTS5 query that wants each of them."""
    return " ".join(_fts_words(query))


_HAS_WORD = ("SELECT mid FROM (SELECT rowid AS mid FROM messages_fts WHERE messages_fts MATCH ? "
             "UNION SELECT p.message_id FROM parts_fts JOIN message_parts p ON p.id = parts_fts.rowid "
             "WHERE parts_fts MATCH ?)")


WORDS_PER_COMPOUND = 200
"""SQLite refuses a compound SELECT of over 500 parts (SQLITE_MAX_COMPOUND_SELECT): a pasted
paragraph of a query is asked in compounds of this many words, each nested in the last."""
SNIPPET_WORDS = 50
"""A snippet is cut around the first word found: its FTS5 query needs only a few of them (an
OR of thousands is deeper than FTS5 parses)."""


def _hits(words: Sequence[str]) -> tuple[str, list[object]]:
    """A query for the ids (`mid`) of the messages that have every word, and its arguments."""
    sql = ""
    for start in range(0, len(words), WORDS_PER_COMPOUND):
        part = " INTERSECT ".join(_HAS_WORD for _ in words[start:start + WORDS_PER_COMPOUND])
        sql = f"SELECT mid FROM ({sql}) WHERE mid IN ({part})" if sql else part
    return sql, [w for w in words for _ in range(2)]


class SearchQueries(ConversationQueries):
    def search(self, query: str, limit: int = 100) -> list[Conversation]:
        """Conversations whose title or messages match `query` (plain words are fine); all of
        them for a blank query; text with no words (only quotes or punctuation) matches only
        a title that contains it as typed."""
        if not query.strip():
            return self.conversations(limit)
        words = _fts_words(query)
        rows: list[tuple[object, ...]] = []
        if words:
            hits, args = _hits(words)
            rows = self._db.execute(
                "SELECT DISTINCT c.id, c.title, c.mode, c.models, c.blind, c.created_at, c.updated_at "
                f"FROM ({hits}) h JOIN messages m ON m.id = h.mid "
                "JOIN conversations c ON c.id = m.conversation_id "
                "ORDER BY c.updated_at DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        title_rows = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
            "WHERE title LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?",
            (f"%{_like_literal(query)}%", limit),
        ).fetchall()
        seen: dict[int, Conversation] = {}
        for row in [*title_rows, *rows]:
            seen.setdefault(row[0], _conversation(row))
        return sorted(seen.values(), key=lambda c: (-c.updated_at, -c.id))[:limit]

    def search_snippets(self, query: str, conversation_ids: Sequence[int],
                        mark: tuple[str, str] = ("\ue000", "\ue001")) -> dict[int, str]:
        """For each conversation, a few words around its first message matching `query`,
        with the matched words between the `mark` pair."""
        words = _fts_words(query)
        found: dict[int, str] = {}
        ids = list(conversation_ids)
        hits, args = _hits(words)
        for start in range(0, len(ids) if words else 0, 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            first = dict(self._db.execute(
                f"SELECT min(m.id), m.conversation_id FROM ({hits}) h JOIN messages m ON m.id = h.mid "
                f"WHERE m.conversation_id IN ({','.join('?' * len(chunk))}) GROUP BY m.conversation_id",
                (*args, *chunk)).fetchall())
            match = " OR ".join(words[:SNIPPET_WORDS])
            for message_id, text in self._snippets(list(first), match, mark).items():
                found[int(first[message_id])] = text
        return found

    def _snippets(self, message_ids: list[int], match: str, mark: tuple[str, str]) -> dict[int, str]:
        """A snippet of each message around its first word of `match`: from its own text, or
        else from the first of its parts that has one."""
        marks = ",".join("?" * len(message_ids))
        snippets: dict[int, str] = {}
        for message_id, text in [
            *self._db.execute(
                "SELECT rowid, snippet(messages_fts, 0, ?, ?, '…', 12) FROM messages_fts "
                f"WHERE messages_fts MATCH ? AND rowid IN ({marks})",
                (*mark, match, *message_ids)),
            *self._db.execute(
                "SELECT p.message_id, snippet(parts_fts, 0, ?, ?, '…', 12) FROM parts_fts "
                "JOIN message_parts p ON p.id = parts_fts.rowid "
                f"WHERE parts_fts MATCH ? AND p.message_id IN ({marks}) ORDER BY p.message_id, p.seq",
                (*mark, match, *message_ids)),
        ]:
            snippets.setdefault(int(message_id), str(text))
        return snippets

    def recent_prompts(self, limit: int = 200) -> list[str]:
        """The user's latest distinct prompts across conversations, oldest first (for recall)."""
        rows = self._db.execute(
            "SELECT content FROM messages WHERE role = 'user' GROUP BY content "
            "ORDER BY max(id) DESC LIMIT ?", (limit,)).fetchall()
        return [str(r[0]) for r in reversed(rows)]

    def search_prompts(self, query: str, limit: int = PROMPT_HITS) -> list[PromptHit]:
        """Distinct prompts the user sent that match every word (prefixes too), newest first;
        with nothing typed, the newest prompts (text with no words in it matches none)."""
        terms = _fts_terms(query)
        if query.strip() and not terms:  # only quotes or punctuation: no word to match
            return []
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
