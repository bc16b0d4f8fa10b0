"""Which llmtui process streams an answer, and whether it still lives.

Each process that streams answers into a store holds an OS lock (`fcntl.flock`) on a file of
its own in a folder beside the store (`llmtui.sqlite3.writers/`), taken before its first
answer's row is added and held until the process ends; each answer names that file
(`messages.writer`, v14). The kernel drops the lock when the process dies, however it dies
(kill -9 included). So an open that finds an answer still 'streaming' can tell a crashed
writer (its lock can be taken, or its file is gone) from a live one in another llmtui (it
cannot), and marks only the first interrupted (parts.py).

A lock that can be taken is a dead writer's: its file is removed then, whether an answer
names it or not (a process killed while idle leaves one too). Where there is no fcntl
(Windows, which llmtui does not support) no file is made and answers name no writer: every
open takes them as crashed, as before v14.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".lock"
_held: dict[Path, tuple[str, int, int]] = {}  # folder -> (our file's name, its fd, our pid)
_guard = threading.Lock()


def folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".writers")


def claim(store_path: Path) -> str | None:
    """The name of this process's lock file beside `store_path`, made and locked at the first
    call and held until the process ends; None without fcntl or when no file can be made (the
    answer then names no writer, and an open takes it as crashed)."""
    if fcntl is None:
        return None
    where = folder(store_path)
    with _guard:
        held = _held.get(where)
        if held is not None and held[2] == os.getpid():  # not a forked child's parent's lock
            return held[0]
        try:
            name, fd = _lock_new(where)
        except OSError:
            return None
        _held[where] = (name, fd, os.getpid())
        return name


def _lock_new(where: Path) -> tuple[str, int]:
    assert fcntl is not None
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    while True:
        name = f"{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"
        path = where / name
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # a sweep (`live`) may hold it for a moment
            # A sweep that took it between the open and the lock removed the file: a new name.
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return name, fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def live(store_path: Path) -> set[str] | None:
    """The lock files beside `store_path` whose process lives (this one's included); the dead
    ones' files are removed. None without fcntl (every writer then counts as dead)."""
    if fcntl is None:
        return None
    where = folder(store_path)
    try:
        names = [n for n in os.listdir(where) if n.endswith(SUFFIX)]
    except OSError:  # no folder yet: nobody ever streamed here
        return set()
    alive: set[str] = set()
    for name in names:
        try:
            fd = os.open(where / name, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue  # removed meanwhile (another sweep): dead
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            alive.add(name)
        except OSError:
            alive.add(name)  # cannot tell: never declare a writer dead on a doubt
        else:
            try:
                os.unlink(where / name)
            except OSError:
                pass
        finally:
            os.close(fd)
    return alive
