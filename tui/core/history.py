"""Stored conversations as the History screen and `llmtui history` see them.

List (newest first, or an FTS5 search), rename and delete: the store runs the SQL, this
module decides what a row holds and how its text reads, so the screen and the CLI agree.
Every function here blocks on SQLite: the TUI calls them in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from llmtui.core.blind_rounds import HIDDEN_MODELS, unvoted
from llmtui.sanitize import sanitize

if TYPE_CHECKING:
    from llmtui.core.store import Conversation, Store

MATCH_START, MATCH_END = "\ue000", "\ue001"  # private-use marks around a matched word
PAGE = 2000  # rows listed at once; a search narrows the rest


@dataclass(frozen=True, slots=True)
class HistoryRow:
    conversation: Conversation
    messages: int
    snippet: str = ""
    """A search hit's words in context; matched words between MATCH_START and MATCH_END."""
    hidden: bool = False
    """A blind compare whose newest round is not voted yet: its models are not named."""

    @property
    def id(self) -> int:
        return self.conversation.id

    def as_json(self) -> dict[str, Any]:
        c = self.conversation
        return {
            "id": c.id, "title": c.title, "mode": c.mode, "blind": c.blind,
            "models": None if self.hidden else list(c.models),
            "models_hidden_until_vote": self.hidden, "messages": self.messages,
            "created_at": when_iso(c.created_at), "updated_at": when_iso(c.updated_at),
        }


def rows(store: Store, query: str = "", limit: int = PAGE) -> list[HistoryRow]:
    """Conversations (all, or those whose title or messages match `query`) with message counts."""
    query = query.strip()
    convs = store.search(query, limit=limit) if query else store.conversations(limit=limit)
    ids = [c.id for c in convs]
    counts = store.message_counts(ids)
    snippets = store.search_snippets(query, ids, (MATCH_START, MATCH_END)) if query else {}
    hidden = unvoted(store, ids)
    return [HistoryRow(c, counts.get(c.id, 0), snippet_text(snippets.get(c.id, "")), c.id in hidden)
            for c in convs]


def snippet_text(raw: str) -> str:
    """One line, harmless on a terminal, the match markers kept."""
    return sanitize(" ".join(raw.split())) if raw else ""


TITLE_MAX = 200
"""Characters a title keeps: the History list and an export heading show it whole."""


def clean_title(title: str) -> str:
    """A title as typed, on one line, without control or invisible characters (escapes, bidi
    overrides, zero-width), at most TITLE_MAX characters: what `rename` stores, from the CLI
    and the History screen alike. Empty means no title."""
    kept = "".join(ch for ch in title if ch.isprintable() or ch.isspace())
    words = " ".join(kept.split())
    return words if len(words) <= TITLE_MAX else words[:TITLE_MAX - 1].rstrip() + "…"


def rename(store: Store, conversation_id: int, title: str) -> bool:
    """Store a new title; False if there is no such conversation. ValueError if it is empty."""
    title = clean_title(title)
    if not title:
        raise ValueError("the title is empty")
    return store.rename(conversation_id, title)


def delete(store: Store, conversation_id: int) -> bool:
    """Delete a conversation and its messages; False if there was none."""
    return store.delete_conversation(conversation_id)


# ------------------------------------------------------------ how a row reads


def when(ts: float) -> str:
    """Local time to the minute, as the History screen and exports show it."""
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def when_iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def title_text(conv: Conversation, width: int = 60) -> str:
    title = sanitize(clean_title(conv.title)) or "(untitled)"
    return title if len(title) <= width else title[:width - 1] + "…"


def models_text(conv: Conversation, width: int = 50, *, hidden: bool = False) -> str:
    """`hidden`: a blind compare before its vote (HistoryRow.hidden) names no model."""
    if hidden:
        return HIDDEN_MODELS
    text = sanitize(" vs ".join(conv.models) if conv.mode == "compare" else ", ".join(conv.models))
    return text if len(text) <= width else text[:width - 1] + "…"
