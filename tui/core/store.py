"""SQLite store (WAL): conversations, messages, the spend ledger, votes, model and rate-limit caches.

Synchronous and fast (local writes take well under a millisecond); the TUI calls it
from its workers. Several llmtui processes may share one file: WAL plus a busy
timeout means they wait for each other instead of failing with "database is locked".
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from llmtui import paths
from llmtui.core.ledger import Charge, LedgerSum, NewCharge, Settlement, charge_from_row, sum_charges
from llmtui.core.pricing.cost import Cost
from llmtui.core.store_schema import MIGRATIONS, split_sql
from llmtui.core.store_schema import SCHEMA_VERSION as SCHEMA_VERSION  # its callers know it from here
from llmtui.core.timing import tokens_per_s
from llmtui.providers.base import Usage
from llmtui.providers.money import usd


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    title: str
    mode: str
    models: tuple[str, ...]
    blind: bool
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    conversation_id: int
    lane: int
    parent_id: int | None
    role: str
    content: str
    model: str | None
    status: str
    created_at: float
    input_tokens: int | None
    output_tokens: int | None
    cached_input_tokens: int | None
    usage_estimated: bool
    cost_usd: str | None
    cost_estimated: bool
    cost_note: str | None
    ttft_s: float | None
    duration_s: float | None
    finish_reason: str | None
    error_kind: str | None
    error_message: str | None
    served_by: str | None
    reasoning: str = ""
    answer_ttft_s: float | None = None
    thinking_s: float | None = None
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = False
    reasoning_effort: str | None = None
    """The effort level the answer was asked for (None: the model's default)."""
    thinking_budget: int | None = None
    """The thinking budget it was sent with, in tokens (None: none sent)."""
    params: str | None = None
    """The sampling parameters it was sent with, as JSON (llmtui.core.sampling.from_json)."""

    @property
    def interrupted(self) -> bool:
        return self.status in ("interrupted", "error", "streaming")

    @property
    def hidden_reasoning(self) -> bool:
        """The provider reported thinking tokens but showed no thinking (OpenAI)."""
        return bool(self.reasoning_tokens) and not self.reasoning and not self.reasoning_estimated

    @property
    def tokens_per_s(self) -> float | None:
        """The one tok/s (core.timing), as the answer showed it live."""
        return tokens_per_s(self.output_tokens or 0, self.ttft_s, self.duration_s,
                            hidden_reasoning=self.hidden_reasoning)


class AnswerStatus(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    INTERRUPTED = "interrupted"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """How an answer ended, as `finish_message` stores it.

    `usage` holds the provider's counts, or the estimate when `usage_estimated`; None
    when nothing can be counted (stored as unknown).
    """

    content: str
    status: AnswerStatus
    usage: Usage | None
    usage_estimated: bool
    cost: Cost
    ttft_s: float | None
    duration_s: float | None
    finish_reason: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    served_by: str | None = None
    reasoning: str = ""
    answer_ttft_s: float | None = None
    thinking_s: float | None = None
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = False


_MESSAGE_COLUMNS = (
    "id, conversation_id, lane, parent_id, role, content, model, status, created_at, "
    "input_tokens, output_tokens, cached_input_tokens, usage_estimated, cost_usd, "
    "cost_estimated, cost_note, ttft_s, duration_s, finish_reason, error_kind, "
    "error_message, served_by, coalesce(reasoning, ''), answer_ttft_s, thinking_s, "
    "reasoning_tokens, reasoning_estimated, reasoning_effort, thinking_budget, params"
)


# What an import may set on a message (the rest are left to their defaults).
_IMPORT_COLUMNS = (
    "conversation_id", "lane", "parent_id", "role", "content", "model", "status", "created_at",
    "input_tokens", "output_tokens", "cached_input_tokens", "usage_estimated", "cost_usd",
    "cost_estimated", "cost_note", "ttft_s", "duration_s", "finish_reason", "error_kind",
    "error_message", "served_by", "reasoning", "answer_ttft_s", "thinking_s", "reasoning_tokens",
    "reasoning_estimated", "reasoning_effort", "thinking_budget", "params",
)


def _fts_terms(query: str) -> str:
    """Each word quoted (no FTS syntax errors from users) and prefix-matched (search as you type)."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)


def _message(row: Sequence[Any]) -> StoredMessage:
    values = list(row)
    values[12] = bool(values[12])
    values[14] = bool(values[14])
    values[26] = bool(values[26])
    return StoredMessage(*values)


def _conversation(row: Sequence[Any]) -> Conversation:
    id_, title, mode, models, blind, created, updated = row
    return Conversation(id_, title, mode, tuple(json.loads(models)), bool(blind), created, updated)


MEMORY = Path(":memory:")
"""The path of a store that saves nothing (no-history mode, llmtui.core.history_off)."""
BUSY_S = 30
"""How long a write waits for another process's (WAL keeps readers going meanwhile)."""


class NewerStore(RuntimeError):
    """The file was written by a newer llmtui: its schema is not ours to touch."""

    def __init__(self, path: Path, version: int) -> None:
        super().__init__(f"{path} was written by a newer llmtui (schema {version}); upgrade llmtui")
        self.version = version


class Store:
    """One connection to the store file; safe to share across asyncio tasks."""

    def __init__(self, path: Path | None = None, *, open_wait_s: float = BUSY_S) -> None:
        """`open_wait_s`: how long opening waits for a store another process holds locked
        (then "database is locked"); writes afterwards wait BUSY_S."""
        self.path = path or paths.store_file()
        if self.path != MEMORY:
            paths.ensure_private_dir(self.path.parent)
            if not self.path.exists():
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
                os.close(fd)
            elif not self.path.is_file():  # a pipe would block the open forever; a device lies
                raise OSError(errno.EINVAL, "not a regular file", str(self.path))
        self._lock = threading.RLock()
        self._tx_depth = 0  # tx() nesting on this thread's turn (the lock is held meanwhile)
        # Parsed forms of cached rows, owned by their readers (catalog/cache.py), checked
        # against the row's time: one per store file, gone when the store goes.
        self.memo: dict[str, Any] = {}
        self._db = sqlite3.connect(self.path, timeout=open_wait_s, isolation_level=None,
                                  check_same_thread=False)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(open_wait_s * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            self._recover_streaming()
            self._reconcile_charges()
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_S * 1000}")
        except BaseException:
            self._db.close()  # a store that cannot open holds no handle on the file
            raise

    @classmethod
    def in_memory(cls) -> Store:
        """A store that saves nothing: this session's conversations, charges and caches,
        gone when it closes (no-history mode)."""
        return cls(MEMORY)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken up front so two writers queue instead of deadlocking.

        The connection is shared by the event loop and worker threads (asyncio.to_thread),
        so one lock makes their transactions take turns on it. A `tx` inside another joins
        it: several writes that must land together (or not at all) share one transaction.
        """
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield self._db
                finally:
                    self._tx_depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._tx_depth = 1
            try:
                yield self._db
            except BaseException:
                # SQLite rolls back by itself on some errors (a full disk): a ROLLBACK then
                # fails, and must not replace the error that says what went wrong.
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                raise
            finally:
                self._tx_depth = 0
            self._db.execute("COMMIT")

    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.tx() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise NewerStore(self.path, current)
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in split_sql(MIGRATIONS[version]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    def _recover_streaming(self) -> None:
        """Answers left 'streaming' by a crashed process are interrupted, text kept: the parts
        it saved become the message's text (and its search entry) now."""
        with self.tx() as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM messages INDEXED BY messages_streaming WHERE status = 'streaming'")]
            for message_id in ids:
                db.execute(
                    "UPDATE messages SET content = content || ?, "
                    "reasoning = CASE WHEN ? = '' THEN reasoning ELSE COALESCE(reasoning, '') || ? END, "
                    "status = 'interrupted', "
                    "error_message = COALESCE(error_message, 'llmtui stopped while this streamed') "
                    "WHERE id = ?",
                    (self._parts(message_id), *[self._parts(message_id, "reasoning")] * 2, message_id))
                db.execute("DELETE FROM message_parts WHERE message_id = ?", (message_id,))

    def _parts(self, message_id: int, kind: str = "text") -> str:
        with self._lock:
            return "".join(r[0] for r in self._db.execute(
                "SELECT text FROM message_parts WHERE message_id = ? AND kind = ? ORDER BY seq",
                (message_id, kind)))

    # ------------------------------------------------------------ conversations

    def new_conversation(
        self, models: Sequence[str], *, title: str = "", mode: str | None = None, blind: bool = False,
        system: str | None = None, preset: str | None = None,
    ) -> int:
        now = time.time()
        mode = mode or ("compare" if len(models) > 1 else "chat")
        with self.tx() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, mode, models, blind, created_at, updated_at, system, "
                "preset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (title, mode, json.dumps(list(models)), int(blind), now, now, system, preset),
            )
            return int(cur.lastrowid or 0)

    def recent_prompts(self, limit: int = 200) -> list[str]:
        """The user's latest distinct prompts across conversations, oldest first (for recall)."""
        rows = self._db.execute(
            "SELECT content FROM messages WHERE role = 'user' GROUP BY content "
            "ORDER BY max(id) DESC LIMIT ?", (limit,)).fetchall()
        return [str(r[0]) for r in reversed(rows)]

    def preset_of(self, conversation_id: int) -> str | None:
        """The preset a conversation was started with, if any."""
        row = self._db.execute("SELECT preset FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row[0] if row else None

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self._db.execute(
            "SELECT id, title, mode, models, blind, created_at, updated_at FROM conversations "
            "WHERE id = ?",
            (conversation_id,),
        ).fetchone()
        return _conversation(row) if row else None

    def conversations(self, limit: int = 200, offset: int = 0) -> list[Conversation]:
        rows = self._db.execute(
            "SELECT id, title, mode, models, blind, created_at, updated_at FROM conversations "
            "ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [_conversation(r) for r in rows]

    def last_conversation_id(self) -> int | None:
        row = self._db.execute(
            "SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else None

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
            "SELECT id, title, mode, models, blind, created_at, updated_at FROM conversations "
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

    def set_system(self, conversation_id: int, system: str | None) -> None:
        with self.tx() as db:
            db.execute("UPDATE conversations SET system = ? WHERE id = ?", (system, conversation_id))

    def system_prompt(self, conversation_id: int) -> str | None:
        row = self._db.execute("SELECT system FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row[0] if row else None

    def rename(self, conversation_id: int, title: str) -> bool:
        """False if there is no such conversation."""
        with self.tx() as db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
            return cur.rowcount > 0

    def delete_conversation(self, conversation_id: int) -> bool:
        """False if there was no such conversation."""
        with self.tx() as db:
            cur = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            # An attachment no message links to any more goes with it.
            db.execute("DELETE FROM attachments WHERE sha256 NOT IN "
                       "(SELECT sha256 FROM message_attachments)")
            return cur.rowcount > 0

    # ------------------------------------------------------------ imports

    def find_imported(self, created_at: float, title: str) -> int | None:
        """A conversation with this start time and title: importing the same file twice is a no-op."""
        row = self._db.execute("SELECT id FROM conversations WHERE created_at = ? AND title = ?",
                              (created_at, title)).fetchone()
        return int(row[0]) if row else None

    def import_conversation(self, header: Mapping[str, Any], messages: Sequence[Mapping[str, Any]],
                            each: Callable[[sqlite3.Connection, int, Mapping[str, Any]], None] | None = None,
                            ) -> int:
        """Insert a whole conversation with its own timestamps, in one transaction.

        Each message may carry `key` and `parent_key` (its id in the source): parents are
        remapped to the new ids. Unknown fields are ignored, not trusted. `each(db, new id,
        message)` runs in the same transaction after each message (its attachments).
        """
        cols = [c for c in _IMPORT_COLUMNS if c in ("conversation_id", "parent_id")
                or any(c in m for m in messages)]
        with self.tx() as db:
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
                if each is not None:
                    each(db, int(cur.lastrowid or 0), m)
            return conversation_id

    # ------------------------------------------------------------ messages

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        lane: int = 0,
        model: str | None = None,
        status: str = "done",
        parent_id: int | None = None,
        reasoning_effort: str | None = None,
        thinking_budget: int | None = None,
        params: str | None = None,
    ) -> int:
        """`reasoning_effort` / `thinking_budget`: what an answer was asked to think with;
        `params`: the sampling parameters it is sent with (JSON, sampling.to_json)."""
        now = time.time()
        with self.tx() as db:
            cur = db.execute(
                "INSERT INTO messages (conversation_id, lane, parent_id, role, content, model, "
                "status, created_at, reasoning_effort, thinking_budget, params) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, lane, parent_id, role, content, model, status, now,
                 reasoning_effort, thinking_budget, params),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?, "
                "title = CASE WHEN title = '' AND ? = 'user' THEN substr(?, 1, 80) ELSE title END "
                "WHERE id = ?",
                (now, role, " ".join(content.split()), conversation_id),
            )
            return int(cur.lastrowid or 0)

    def update_text(self, message_id: int, content: str, reasoning: str | None = None) -> None:
        """Replace a message's text (and thinking); a streaming answer appends parts instead."""
        with self.tx() as db:
            if reasoning is None:
                db.execute("UPDATE messages SET content = ? WHERE id = ?", (content, message_id))
            else:
                db.execute("UPDATE messages SET content = ?, reasoning = ? WHERE id = ?",
                           (content, reasoning, message_id))

    def append_text(self, message_id: int, seq: int, text: str, reasoning: str = "") -> None:
        """Save the next pieces of a streaming answer (and of its thinking): costs O(new text),
        however long the answer already is. `seq` orders them; a retried write reuses its number."""
        with self.tx() as db:
            for kind, piece in (("text", text), ("reasoning", reasoning)):
                if piece:
                    db.execute("INSERT OR REPLACE INTO message_parts (message_id, kind, seq, text) "
                               "VALUES (?, ?, ?, ?)", (message_id, kind, seq, piece))

    def finish_message(self, message_id: int, record: AnswerRecord) -> None:
        """Record the end of an answer: text, status, usage, cost, timings, error."""
        usage, cost = record.usage, record.cost
        counts = (None, None, None, None) if usage is None else (
            usage.input_tokens, usage.output_tokens, usage.cached_input_tokens,
            usage.cache_write_tokens)
        with self.tx() as db:
            db.execute(
                "UPDATE messages SET content = ?, status = ?, input_tokens = ?, output_tokens = ?, "
                "cached_input_tokens = ?, cache_write_tokens = ?, usage_estimated = ?, "
                "cost_usd = ?, cost_estimated = ?, cost_note = ?, ttft_s = ?, duration_s = ?, "
                "finish_reason = ?, error_kind = ?, error_message = ?, served_by = ?, "
                "usage_raw = ?, reasoning = ?, answer_ttft_s = ?, thinking_s = ?, "
                "reasoning_tokens = ?, reasoning_estimated = ? WHERE id = ?",
                (record.content, str(record.status), *counts, int(record.usage_estimated),
                 None if cost.amount is None else str(cost.amount), int(cost.estimated),
                 cost.note or None, record.ttft_s, record.duration_s, record.finish_reason,
                 record.error_kind, record.error_message, record.served_by,
                 json.dumps(dict(usage.raw)) if usage and usage.raw else None,
                 record.reasoning or None, record.answer_ttft_s, record.thinking_s,
                 record.reasoning_tokens, int(record.reasoning_estimated), message_id),
            )
            db.execute("DELETE FROM message_parts WHERE message_id = ?", (message_id,))

    def messages(self, conversation_id: int, lane: int | None = None) -> list[StoredMessage]:
        sql = f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?"
        args: tuple[Any, ...] = (conversation_id,)
        if lane is not None:
            sql += " AND lane = ?"
            args += (lane,)
        rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [self._with_parts(_message(r)) for r in rows]

    def _with_parts(self, message: StoredMessage) -> StoredMessage:
        """An answer still streaming (in this process or another) shows what it has saved."""
        if message.status != "streaming":
            return message
        from dataclasses import replace

        return replace(message, content=message.content + self._parts(message.id),
                       reasoning=message.reasoning + self._parts(message.id, "reasoning"))

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """A read for the store's companion modules (arena_store); they never hold the connection."""
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    def message(self, message_id: int) -> StoredMessage | None:
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        return self._with_parts(_message(row)) if row else None

    def message_count(self, conversation_id: int) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
        )

    # ------------------------------------------------------------ votes

    def add_vote(
        self, conversation_id: int, prompt_id: int | None, models: Sequence[str],
        winner: str | None,
    ) -> None:
        loser = None
        if winner is not None:
            loser = next((m for m in models if m != winner), None)
        with self.tx() as db:
            db.execute(
                "INSERT INTO votes (conversation_id, prompt_id, winner, loser, models, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, prompt_id, winner, loser, json.dumps(list(models)), time.time()),
            )

    def leaderboard(self) -> list[tuple[str, int, int, int]]:
        """(model, wins, losses, ties) for every model that took part in a vote."""
        tally: dict[str, list[int]] = {}
        for winner, loser, models in self._db.execute("SELECT winner, loser, models FROM votes"):
            for m in json.loads(models):
                tally.setdefault(m, [0, 0, 0])
            if winner is None:
                for m in json.loads(models):
                    tally[m][2] += 1
            else:
                tally[winner][0] += 1
                if loser:
                    tally[loser][1] += 1
        rows = [(m, w, lo, t) for m, (w, lo, t) in tally.items()]
        return sorted(rows, key=lambda r: (-(r[1] / max(1, r[1] + r[2] + r[3])), -r[1], r[0]))

    # ------------------------------------------------------------ caches

    def put_cache(self, table: str, provider: str, payload: Any) -> None:
        stamp = _cache_stamp(table)
        with self.tx() as db:
            db.execute(
                f"INSERT INTO {table} (provider, {stamp}, payload) VALUES (?, ?, ?) "
                f"ON CONFLICT(provider) DO UPDATE SET {stamp} = excluded.{stamp}, "
                "payload = excluded.payload",
                (provider, time.time(), json.dumps(payload)),
            )

    def cache_time(self, table: str, provider: str) -> float | None:
        """When the cached entry was written, without reading (or parsing) its payload."""
        stamp = _cache_stamp(table)
        row = self._db.execute(f"SELECT {stamp} FROM {table} WHERE provider = ?", (provider,)).fetchone()
        return float(row[0]) if row else None

    def get_cache(self, table: str, provider: str) -> tuple[float, Any] | None:
        stamp = _cache_stamp(table)
        row = self._db.execute(
            f"SELECT {stamp}, payload FROM {table} WHERE provider = ?", (provider,)
        ).fetchone()
        return (float(row[0]), json.loads(row[1])) if row else None

    # ------------------------------------------------------------ history listing

    def message_counts(self, conversation_ids: Sequence[int]) -> dict[int, int]:
        """Messages per conversation, in one query per 900 ids (not one per row)."""
        counts: dict[int, int] = {}
        ids = list(conversation_ids)
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for cid, n in self._db.execute(
                f"SELECT conversation_id, count(*) FROM messages WHERE conversation_id IN ({marks}) "
                "GROUP BY conversation_id", chunk,
            ):
                counts[int(cid)] = int(n)
        return counts

    # ------------------------------------------------------------ spend ledger (llmtui.core.ledger)

    def reserve_charges(self, plan: Callable[[LedgerView], Sequence[NewCharge]]) -> list[int]:
        """Check and reserve in one write transaction (BEGIN IMMEDIATE), so no other process
        can reserve between the check and the write. `plan` reads the totals through the
        view and returns the charges to write, or raises to write nothing."""
        with self.tx() as db:
            charges = plan(LedgerView(db))
            now, pid = time.time(), os.getpid()
            ids = []
            for c in charges:
                cur = db.execute(
                    "INSERT INTO ledger (created_at, provider, model, conversation_id, state, "
                    "reserved_usd, input_tokens, max_output_tokens, pid, note) "
                    "VALUES (?, ?, ?, ?, 'reserved', ?, ?, ?, ?, ?)",
                    (now, c.provider, c.model, c.conversation_id,
                     _usd_text(c.reserved), c.prompt_tokens, c.max_output_tokens, pid,
                     c.note or None),
                )
                ids.append(int(cur.lastrowid or 0))
            return ids

    def settle_charge(self, charge_id: int, s: Settlement) -> None:
        """The real cost of a reserved charge (an unknown cost keeps its worst case)."""
        with self.tx() as db:
            db.execute(
                "UPDATE ledger SET state = 'settled', cost_usd = ?, cost_source = ?, "
                "input_tokens = COALESCE(?, input_tokens), output_tokens = ?, "
                "cached_input_tokens = ?, cache_write_tokens = ?, reasoning_tokens = ?, "
                "served_by = ?, conversation_id = COALESCE(?, conversation_id), "
                "message_id = COALESCE(?, message_id), settled_at = ?, "
                "note = COALESCE(?, note), cache_saving_usd = ? WHERE id = ?",
                (_usd_text(s.cost), str(s.source), _sql_int(s.input_tokens),
                 _sql_int(s.output_tokens), _sql_int(s.cached_input_tokens),
                 _sql_int(s.cache_write_tokens), _sql_int(s.reasoning_tokens), s.served_by,
                 s.conversation_id, s.message_id, time.time(), s.note or None,
                 _usd_text(s.cache_saving), charge_id),
            )

    def charges(
        self, *, since: float | None = None, until: float | None = None,
        provider: str | None = None, conversation_id: int | None = None,
    ) -> list[Charge]:
        """Ledger rows in a window, oldest first."""
        with self._lock:
            return LedgerView(self._db).charges(since=since, until=until, provider=provider,
                                                conversation_id=conversation_id)

    def release_charges(self, charge_ids: Sequence[int]) -> None:
        """Reservations of requests that never left the machine: gone, as if never made."""
        with self.tx() as db:
            db.executemany("DELETE FROM ledger WHERE id = ? AND state = 'reserved'",
                           [(i,) for i in charge_ids])

    def ledger_spent(self, since: float, provider: str | None = None) -> LedgerSum:
        with self._lock:
            return LedgerView(self._db).spent(since, provider)

    def _reconcile_charges(self) -> None:
        """Charges reserved by a process that is gone are lost: they keep their worst case."""
        pids = [int(r[0]) for r in self.rows(
            "SELECT DISTINCT pid FROM ledger WHERE state = 'reserved' AND pid IS NOT NULL")]
        dead = [pid for pid in pids if not _alive(pid)]
        if not dead:
            return
        with self.tx() as db:
            db.executemany(
                "UPDATE ledger SET state = 'lost', settled_at = ?, note = 'llmtui stopped before "
                "the provider reported usage; counted at the reserved worst case' "
                "WHERE state = 'reserved' AND pid = ?",
                [(time.time(), pid) for pid in dead],
            )


# cache table -> its time column; the names are also the whitelist for the f-string SQL.
_CACHE_STAMPS = {"model_cache": "fetched_at", "rate_limits": "updated_at"}


def _cache_stamp(table: str) -> str:
    try:
        return _CACHE_STAMPS[table]
    except KeyError:
        raise ValueError(table) from None


class LedgerView:
    """Ledger reads on a connection (inside a reservation's transaction, or not)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def charges(
        self, *, since: float | None = None, until: float | None = None,
        provider: str | None = None, conversation_id: int | None = None,
    ) -> list[Charge]:
        sql = (
            "SELECT id, created_at, provider, model, conversation_id, message_id, state, "
            "reserved_usd, cost_usd, cost_source, input_tokens, output_tokens, "
            "cached_input_tokens, served_by, note, cache_saving_usd FROM ledger WHERE 1"
        )
        args: list[object] = []
        for clause, value in (("created_at >= ?", since), ("created_at < ?", until),
                              ("provider = ?", provider), ("conversation_id = ?", conversation_id)):
            if value is not None:
                sql += f" AND {clause}"
                args.append(value)
        return [charge_from_row(tuple(r)) for r in self.db.execute(sql + " ORDER BY created_at, id", args)]

    def spent(self, since: float, provider: str | None = None) -> LedgerSum:
        return sum_charges(provider or "total", self.charges(since=since, provider=provider))


def _usd_text(amount: Decimal | None) -> str | None:
    """Only a plausible amount is ever written."""
    checked = usd(amount)
    return None if checked is None else str(checked)


def _sql_int(value: int | None) -> int | None:
    """Token counts SQLite can hold (a hostile 10**20 must not fail the write)."""
    return value if isinstance(value, int) and 0 <= value < 2**63 else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: leave its charges alone
    return True
