"""The SQLite store (WAL): every SQL statement llmtui runs lives in this package, nowhere else
(tests/test_boundaries.py checks it).

Synchronous and fast (local writes take well under a millisecond); the TUI calls it from its
workers. Several llmtui processes may share one file: WAL plus a busy timeout means they wait
for each other instead of failing with "database is locked".

Map: `database` opens the one connection (private file, WAL, busy timeout), migrates it with
`schema` (each version's SQL) and gives the other modules `_tx` (a write transaction; nested
ones join it) and `_rows` (a read). Each of those is a mixin over it for one part of the
file: `conversations`; `attachments` (each file once, by sha256); `parts` (an answer saved
piece by piece as it streams, each piece indexed as it lands; a long answer's text for good);
`messages` (a prompt or an answer: added, finished, read back with its parts); `imports` (a
whole conversation at once); `search` (FTS5: conversations, snippets, earlier prompts);
`arena` (votes, compare runs); `charges` (the spend ledger's rows); `caches` (model lists,
rate limits). `records` holds the frozen records they hand out. `Store` below composes the
mixins into the one object callers hold. Beside them, on files rather than the connection:
`health` (a read-only check for `llmtui doctor`), `salvage` (copy what can be read out of a
damaged file) and `llm_logs` (simonw/llm's logs.db, read-only, for an import).
"""

from __future__ import annotations

from llmtui.core.store.arena import ArenaQueries
from llmtui.core.store.attachments import digest
from llmtui.core.store.caches import CacheQueries
from llmtui.core.store.charges import ChargeQueries, LedgerView
from llmtui.core.store.database import BUSY_S, MEMORY, NewerStore
from llmtui.core.store.imports import ImportQueries
from llmtui.core.store.records import (
    MIXED,
    AnswerRecord,
    AnswerStatus,
    Choice,
    CompareRun,
    Conversation,
    MessageGone,
    Progress,
    PromptAdded,
    PromptHit,
    RunItem,
    StoredAttachment,
    StoredMessage,
    Vote,
)
from llmtui.core.store.schema import SCHEMA_VERSION
from llmtui.core.store.search import SearchQueries

__all__ = [
    "BUSY_S", "MEMORY", "MIXED", "SCHEMA_VERSION", "AnswerRecord", "AnswerStatus", "Choice",
    "CompareRun", "Conversation", "LedgerView", "MessageGone", "NewerStore", "Progress",
    "PromptAdded", "PromptHit", "RunItem", "Store", "StoredAttachment", "StoredMessage", "Vote",
    "digest",
]


class Store(ArenaQueries, ImportQueries, SearchQueries, ChargeQueries, CacheQueries):
    """One connection to the store file; safe to share across asyncio tasks."""

    def _recover(self) -> None:
        """At open: answers a crashed process left streaming, and charges it left reserved."""
        self._recover_streaming()
        self._reconcile_charges()
