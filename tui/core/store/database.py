"""The store's one connection: opening the file (private, WAL, a busy timeout), the schema's
migrations, and the lock that makes transactions take turns on the shared connection.

Every other module of the package is a mixin over `Database`: they run their SQL through
`_tx` (a write transaction) and `_rows` (a read), never through a connection of their own.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

from llmtui import paths
from llmtui.core.store.schema import MIGRATIONS, REBUILDS, SCHEMA_VERSION, split_sql

MEMORY = Path(":memory:")
"""The path of a store that saves nothing (no-history mode, llmtui.core.history_off)."""
BUSY_S = 30
"""How long a write waits for another process's (WAL keeps readers going meanwhile)."""


class NewerStore(RuntimeError):
    """The file was written by a newer llmtui: its schema is not ours to touch."""

    def __init__(self, path: Path, version: int) -> None:
        super().__init__(f"{path} was written by a newer llmtui (schema {version}); upgrade llmtui")
        self.version = version


class Database:
    """One connection to the store file; safe to share across asyncio tasks and worker threads."""

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
        self._tx_depth = 0  # _tx() nesting on this thread's turn (the lock is held meanwhile)
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
            self._recover()
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_S * 1000}")
        except BaseException:
            self._db.close()  # a store that cannot open holds no handle on the file
            raise

    @classmethod
    def in_memory(cls) -> Self:
        """A store that saves nothing: this session's conversations, charges and caches,
        gone when it closes (no-history mode)."""
        return cls(MEMORY)

    def close(self) -> None:
        self._db.close()

    def _recover(self) -> None:
        """What a crashed process left half-done, put right at open (the Store says what)."""

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken up front so two writers queue instead of deadlocking.

        The connection is shared by the event loop and worker threads (asyncio.to_thread),
        so one lock makes their transactions take turns on it. A `_tx` inside another joins
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

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """A read, all rows at once, taking its turn on the connection."""
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        # A table rebuild (REBUILDS) drops a table others reference: with foreign keys on, the
        # drop would delete their rows. The pragma only works outside a transaction.
        rebuilds = bool(REBUILDS & set(range(self.version() + 1, SCHEMA_VERSION + 1)))
        if rebuilds:
            self._db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self._tx() as db:
                current = int(db.execute("PRAGMA user_version").fetchone()[0])
                if current > SCHEMA_VERSION:
                    raise NewerStore(self.path, current)
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    for statement in split_sql(MIGRATIONS[version]):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version}")
        finally:
            if rebuilds:
                self._db.execute("PRAGMA foreign_keys = ON")
