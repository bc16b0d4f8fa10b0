"""Real history files in the states llmtui must survive (issue 14 L10): each `make(path)`
leaves the store file broken in one way and returns what the no-history notice says.
Shared by the Pilot tests (tests/screens) and the CLI tests (tests/cli)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from llmtui.core.store import SCHEMA_VERSION, Store

PAGE = 4096


def damaged_page(db_file: Path) -> str:
    """A real store whose messages table has one page overwritten (a torn write, a bad sector)."""
    store = Store(db_file)
    conversation = store.new_conversation(["demo/simulated-fast"])
    for i in range(40):
        store.add_message(conversation, "user", f"prompt {i} " + "x" * 3000)
    store.close()
    db = sqlite3.connect(db_file)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [p for (p,) in db.execute(
        "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' ORDER BY pageno")]
    db.close()
    with db_file.open("r+b") as fh:
        fh.seek(PAGE * (leaves[len(leaves) // 2] - 1))
        fh.write(b"\xde\xad" * (PAGE // 2))
    return "is damaged (database disk image is malformed)"


def damaged_messages_root(db_file: Path) -> str:
    """A store whose messages table's first page is random bytes (the tester's 'page 3'): opening
    reads past it, the conversation row of a new chat goes in, the prompt row cannot."""
    damaged_page(db_file)
    db = sqlite3.connect(db_file)
    (root,) = db.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'messages'").fetchone()
    db.close()
    with db_file.open("r+b") as fh:
        fh.seek(PAGE * (root - 1))
        fh.write(os.urandom(PAGE))
    return "is damaged (database disk image is malformed)"


def random_bytes(db_file: Path) -> str:
    db_file.write_bytes(bytes(range(256)) * 64)
    return "is not an SQLite database (file is not a database)"


def directory(db_file: Path) -> str:
    db_file.mkdir()
    (db_file / "keep").write_text("a file the user keeps here")
    return "is a directory, not a database file"


def newer_schema(db_file: Path) -> str:
    store = Store(db_file)
    store.new_conversation(["demo/simulated-fast"], title="from a newer llmtui")
    store._rows(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store.close()
    return f"was written by a newer llmtui (schema {SCHEMA_VERSION + 5}; this one knows {SCHEMA_VERSION})"


def named_pipe(db_file: Path) -> str:
    """A FIFO where the store should be: opening it to read would wait forever."""
    os.mkfifo(db_file)
    return "is not a regular file (a device, a pipe or a socket)"


BROKEN: dict[str, Callable[[Path], str]] = {
    "damaged-page": damaged_page,
    "random-bytes": random_bytes,
    "directory": directory,
    "newer-schema": newer_schema,
    "named-pipe": named_pipe,
}


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file of the store (and its -wal/-shm) by name: to show nothing was written."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    if path.exists() and not path.is_file():  # a pipe: reading it would block
        return {path.name: b"not a regular file", **{p.name: p.read_bytes() for p in
                                                     path.parent.glob(path.name + "-*")}}
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")
            if p.name in (path.name, path.name + "-wal") and p.stat().st_size}


@contextmanager
def locked_by_another_process(db_file: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the store's write lock until the block ends."""
    Store(db_file).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n", str(db_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)


def damaged_index(db_file: Path) -> None:
    """A real store whose messages-by-conversation index has its page overwritten: scans
    of the table still work; reading one conversation (and writing a message) does not."""
    store = Store(db_file)
    conversation = store.new_conversation(["demo/simulated-fast"], title="kept")
    store.add_message(conversation, "user", "an earlier prompt")
    store.close()
    db = sqlite3.connect(db_file)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'messages_conv'").fetchone()
    db.close()
    with db_file.open("r+b") as fh:
        fh.seek(PAGE * (root - 1))
        fh.write(b"\xde\xad" * (PAGE // 2))
