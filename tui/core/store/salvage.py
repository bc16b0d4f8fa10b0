"""Repair a damaged history store: every row that can still be read goes into a new store,
which then takes the old one's place; the damaged file is kept beside it.

SQLite's own `.recover` needs a build with the dbpage table (Debian's sqlite3 3.40 has none)
and `.dump` of a damaged file ends in ROLLBACK: either, piped into a new file, can leave an
empty history. Here each table is read in key order up to the damage, then backwards from
its end down to it (as `.dump` does), so a damaged page loses only the rows on it. The new
store is made by llmtui itself (the current schema; the search index rebuilt by its
triggers), and rows are copied by column name, so an older file's rows fit too. Its id
counters start past every id the old file gave out (`_keep_counters`), so an id is never given
out twice, not even one whose rows were deleted or lost to the damage.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from llmtui.core.store import Store

SKIPPED = ("sqlite_", "messages_fts", "parts_fts")
"""SQLite's own tables and the search indexes (rebuilt from the messages and their parts as
they go in)."""


@dataclass
class Salvage:
    kept: dict[str, int] = field(default_factory=dict)
    """Rows copied, by table."""
    damaged: list[str] = field(default_factory=list)
    """Tables where reading met the damage (some of their rows may be lost)."""
    aside: Path | None = None
    """Where the damaged file was moved (None: left in place)."""


def salvage(src: Path, dest: Path) -> Salvage:
    """Copy what can be read from `src` into a new store at `dest` (which must not exist)."""
    from llmtui.core.store import SCHEMA_VERSION, NewerStore, Store

    if dest.exists():
        raise FileExistsError(dest)
    old = sqlite3.connect(f"file:{quote(os.fspath(src))}?mode=ro", uri=True, timeout=5)
    try:
        version = int(old.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise NewerStore(src, version)
        new = Store(dest)
        try:
            report = _copy(old, new)
            _keep_counters(old, new)
            return report
        finally:
            new.close()
    finally:
        old.close()


def carry_ledger(src: Path, dest: Store) -> int:
    """The spend ledger rows that can be read from a store llmtui cannot use, copied into
    `dest` (no-history mode), so spending limits still count what was spent before. Read
    only, best effort: 0 when nothing can be read (not a database, no permission)."""
    try:
        old = sqlite3.connect(f"file:{quote(os.fspath(src))}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        return _copy(old, dest, only=("ledger",)).kept.get("ledger", 0)
    except (sqlite3.Error, OSError):
        return 0
    finally:
        old.close()


def _copy(old: sqlite3.Connection, new: Store, only: tuple[str, ...] = ()) -> Salvage:
    report = Salvage()
    have = {name for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = [name for (name,) in new._rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        if name in have and not name.startswith(SKIPPED) and (not only or name in only)]
    new._rows("PRAGMA foreign_keys = OFF")  # a message whose conversation was lost stays
    for table in tables:
        ours = [r[1] for r in new._rows(f'PRAGMA table_info("{table}")')]
        theirs = {r[1] for r in old.execute(f'PRAGMA table_info("{table}")')}
        columns = [c for c in ours if c in theirs]
        rows, whole = _readable(old, table, columns, _key(old, table))
        if not whole:
            report.damaged.append(table)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        with new._tx() as db:
            db.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', rows)
        report.kept[table] = len(rows)
    return report


def _keep_counters(old: sqlite3.Connection, new: Store) -> None:
    """Each AUTOINCREMENT table's counter (sqlite_sequence) at least where the old file's was,
    as far as it can be read, and past every id the copied rows name (schema v11's rule)."""
    from llmtui.core.store.schema import IDS_PAST_REFERENCES, split_sql

    counted = {name for (name,) in new._rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'")}
    given: list[tuple[object, ...]] = []
    try:  # a file from before v11 has none; a damaged one may give only part of it
        for row in _rows(old, "SELECT name, seq FROM sqlite_sequence"):
            given.append(row)
    except sqlite3.DatabaseError:
        pass
    with new._tx() as db:
        for name, seq in given:
            if name in counted and isinstance(seq, int):
                db.execute("INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 "
                           "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)", (name, name))
                db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name))
        for statement in split_sql(IDS_PAST_REFERENCES):
            db.execute(statement)


def _key(db: sqlite3.Connection, table: str) -> list[str]:
    """The columns rows are ordered by: rowid, or a WITHOUT ROWID table's primary key."""
    info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
    pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    without_rowid = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    if pk and without_rowid and "WITHOUT ROWID" in str(without_rowid[0]).upper():
        return pk
    return ["rowid"]


def _readable(db: sqlite3.Connection, table: str, columns: list[str],
              keys: list[str]) -> tuple[list[tuple[object, ...]], bool]:
    """Every row that can be read, and whether the whole table could: in key order up to
    the damage, then from the end backwards down to it."""
    names = ", ".join(f'"{c}"' if c != "rowid" else c for c in [*keys, *columns])
    width = len(keys)

    def ordered(direction: str) -> str:
        return ", ".join(f"{k} {direction}" for k in keys)

    forward: list[tuple[object, ...]] = []
    try:
        for row in _rows(db, f'SELECT {names} FROM "{table}" ORDER BY {ordered("ASC")}'):
            forward.append(row)
        return [row[width:] for row in forward], True
    except sqlite3.DatabaseError:
        pass
    seen = {row[:width] for row in forward}
    backward: list[tuple[object, ...]] = []
    try:
        for row in _rows(db, f'SELECT {names} FROM "{table}" ORDER BY {ordered("DESC")}'):
            if row[:width] in seen:
                break  # back where the forward read got to
            backward.append(row)
    except sqlite3.DatabaseError:
        pass
    return [row[width:] for row in [*forward, *reversed(backward)]], False


def _rows(db: sqlite3.Connection, sql: str) -> Iterator[tuple[object, ...]]:
    """One row at a time: a batch would lose the good rows read before the damage."""
    yield from db.execute(sql)


class InUse(RuntimeError):
    """Another process has the store open: moving it now would lose what that one writes."""


def in_use(path: Path) -> bool:
    """Whether another process has this WAL store open: each connection holds a read lock
    on the WAL index's "DMS" byte (offset 128 of the -shm file) while it is open."""
    shm = path.with_name(path.name + "-shm")
    try:
        import fcntl
    except ImportError:  # not POSIX: no way to tell
        return False
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no -shm: nobody has it open in WAL mode
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 128)
        return False
    finally:
        os.close(fd)


def repair(path: Path) -> Salvage:
    """Salvage `path` in place: the readable rows into a new store that takes its name, the
    damaged file (and its WAL) kept as `<name>.damaged-<time>`. InUse while another process
    has it open."""
    if in_use(path):
        raise InUse(f"another program has {path.name} open (an llmtui still running?); close it first")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh = path.with_name(f"{path.name}.salvaged-{stamp}")
    report = salvage(path, fresh)
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    os.replace(fresh, path)
    for suffix in ("-wal", "-shm"):  # the fresh store was closed: its WAL is checkpointed
        leftover = fresh.with_name(fresh.name + suffix)
        if leftover.exists():
            leftover.unlink()
    report.aside = aside
    return report
