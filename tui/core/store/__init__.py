"""The SQLite store (WAL): every query llmtui runs lives in this package, nowhere else.

Synchronous and fast (local writes take well under a millisecond); the TUI calls it from its
workers. Several llmtui processes may share one file: WAL plus a busy timeout means they wait
for each other instead of failing with "database is locked".

Map: `database` opens the one connection (private file, WAL, busy timeout), migrates it
with `schema` (each version's SQL) and hands the other modules `_tx` / `_rows`; each of
those is a mixin over it for one part of the file: `conversations`, `messages` (streamed
parts and their crash recovery), `search` (FTS5), `charges` (the spend ledger's rows),
`arena` (votes), `caches` (model lists, rate limits). `records` holds the frozen
records they hand out. `Store` below composes them into the one object callers hold.
"""

from __future__ import annotations

from llmtui.core.store.arena import ArenaQueries
from llmtui.core.store.caches import CacheQueries
from llmtui.core.store.charges import ChargeQueries, LedgerView
from llmtui.core.store.conversations import ConversationQueries
from llmtui.core.store.database import BUSY_S, MEMORY, NewerStore
from llmtui.core.store.messages import MessageQueries
from llmtui.core.store.records import AnswerRecord, AnswerStatus, Conversation, StoredMessage
from llmtui.core.store.schema import SCHEMA_VERSION
from llmtui.core.store.search import SearchQueries

__all__ = [
    "BUSY_S", "MEMORY", "SCHEMA_VERSION", "AnswerRecord", "AnswerStatus", "Conversation",
    "LedgerView", "NewerStore", "Store", "StoredMessage",
]


class Store(SearchQueries, ConversationQueries, MessageQueries, ChargeQueries, ArenaQueries,
            CacheQueries):
    """One connection to the store file; safe to share across asyncio tasks."""

    tx = MessageQueries._tx
    rows = MessageQueries._rows

    def _recover(self) -> None:
        """At open: answers a crashed process left streaming, and charges it left reserved."""
        self._recover_streaming()
        self._reconcile_charges()
