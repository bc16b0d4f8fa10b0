"""No-history mode: the history store cannot be opened or read, and llmtui still chats.

A damaged page, a file that is not a database (zero bytes is a new one), a directory in
its place, no permission, a lock another process holds for long, a schema from a newer
llmtui: each becomes a `StoreProblem` (what is wrong, in one line, and the command that
repairs it), and llmtui runs on a store in memory instead (Store.in_memory): chat,
compare, spend limits and export work for this session, nothing is saved, and the file
is never written (nothing is migrated, recovered or overwritten).

Every string here may come from the file system or SQLite (a path can hold a newline or
an escape sequence): shown text is made visible on one line, and shell commands quote
the path so they can be pasted as they are.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from llmtui.sanitize import repair_surrogates, sanitize

OPEN_WAIT_S = 5.0
"""How long a start waits for a store another process holds locked before it goes on
without history (writes during a session wait store.BUSY_S, as before)."""

FULL_BELOW = 64 * 1024
"""Free bytes under which a store's disk counts as full (SQLite then says "disk I/O error"
or "database or disk is full", whichever file it was growing)."""

STORE_ERRORS = (sqlite3.Error, OSError, RuntimeError, OverflowError, ValueError)
"""What opening or reading a store can raise: SQLite's errors (damaged, locked, not a
database), the file system's (a directory, no permission, disk full), a newer schema."""


@dataclass(frozen=True, slots=True)
class StoreProblem:
    path: Path
    reason: str
    """What is wrong, one line, e.g. "is damaged (database disk image is malformed)"."""
    repair: str
    """The command (or step) that fixes it, one line."""

    @property
    def shown_path(self) -> str:
        return shown(str(self.path))

    def banner(self) -> str:
        """The TUI's notice, one line at 160 columns for a short reason: why there is no
        history (the file by name; the repair below gives its whole path)."""
        return (f"⚠ No history: {shown(self.path.name)} {self.reason} · nothing is saved · "
                "repair below or llmtui doctor")

    def hint(self) -> str:
        """The repair, in full (it may wrap): shown under the banner."""
        return f"To repair the history store: {self.repair}"

    def warning(self, kept: str = "") -> str:
        """The CLI's warning line (without the `llmtui: warning:` prefix); `kept`: where
        the answer went instead."""
        kept = f"; {kept}" if kept else ""
        return (f"history is off: {self.shown_path} {self.reason}; nothing is saved to it"
                f"{kept}. To repair: {self.repair}")


def shown(text: str) -> str:
    """Text from outside (a path, an error) made visible, on one line, as it is."""
    text = sanitize(repair_surrogates(text))
    return text.replace("\n", "␊").replace("\t", "␉")


def shell_quoted(path: Path | str) -> str:
    """`path` as one shell word a user can paste: plain quoting when every character is
    printable, else bash/zsh `$'...'` with each other byte escaped (nothing raw reaches
    the terminal)."""
    text = os.fspath(path)
    if text.isprintable() and shown(text) == text:
        return shlex.quote(text)
    out = []
    for byte in os.fsencode(text):
        ch = chr(byte)
        out.append(ch if 0x20 <= byte < 0x7F and ch not in "\\'" else f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"


def problem_of(exc: BaseException, path: Path) -> StoreProblem:
    """What went wrong opening or reading the store at `path`, and how to repair it."""
    from llmtui.core.store import SCHEMA_VERSION, NewerStore

    q = shell_quoted(path)
    # An OSError's text holds the path, which may say "locked" or "full": its strerror only.
    said = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    detail = shown(" ".join(said.split())) or type(exc).__name__
    text = detail.lower()
    if isinstance(exc, NewerStore):
        return StoreProblem(path, f"was written by a newer llmtui (schema {exc.version}; this "
                                  f"one knows {SCHEMA_VERSION})",
                            "upgrade llmtui (pip install -U llmtui), or point LLMTUI_DB at "
                            "another file")
    if path.is_dir():
        return StoreProblem(path, "is a directory, not a database file",
                            f"mv {q} {shell_quoted(str(path) + '.aside')}, then run llmtui again")
    if path.exists() and not path.is_file():
        where = ("unset LLMTUI_DB or point it at a file" if os.environ.get("LLMTUI_DB")
                 else f"mv {q} {shell_quoted(str(path) + '.aside')}")
        return StoreProblem(path, "is not a regular file (a device, a pipe or a socket)",
                            f"{where}, then run llmtui again")
    if "locked" in text or "busy" in text:
        return StoreProblem(path, f"is locked by another process ({detail})",
                            f"close the program holding it (fuser {q} names it), then run "
                            "llmtui again")
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text or (
            "unable to open" in text and not _usable(path)):
        return StoreProblem(path, f"cannot be read or written ({detail})",
                            f"chmod 600 {q} (ls -l {q} shows its owner), or point LLMTUI_DB "
                            "at another file")
    if "full" in text or _disk_full(path):
        return StoreProblem(path, f"cannot be written: its disk is full ({detail})",
                            f"free some space (df -h {shell_quoted(path.parent)}), then run "
                            "llmtui again")
    if "i/o error" in text:
        return StoreProblem(path, f"cannot be read or written ({detail})",
                            f"check the disk it is on (df -h {shell_quoted(path.parent)}; "
                            "dmesg), then llmtui doctor")
    if "not a database" in text:
        return StoreProblem(path, f"is not an SQLite database ({detail})",
                            f"mv {q} {shell_quoted(str(path) + '.not-a-database')}, then run "
                            "llmtui again (it starts a new history)")
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreProblem(path, f"is damaged ({detail})", recover_command(path))
    return StoreProblem(path, f"cannot be used ({detail})", "llmtui doctor says more")


def recover_command(path: Path) -> str:
    """llmtui's own salvage (core/store/salvage.py): SQLite's .recover is missing from many builds,
    and .dump of a damaged file ends in ROLLBACK (piped on, either leaves an empty history)."""
    env = "" if os.environ.get("LLMTUI_DB") is None else f"LLMTUI_DB={shell_quoted(path)} "
    return (f"close llmtui, then {env}llmtui doctor --repair-store (the rows that can still be "
            "read go into a new store; the damaged file is kept beside it)")


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW
    except OSError:
        return False


def _usable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.R_OK | os.W_OK)


def examine(path: Path) -> StoreProblem | None:
    """A read-only check of the whole file (`llmtui doctor`): None when it is sound or absent.
    Never creates, migrates or writes it."""
    from llmtui.core.store import NewerStore
    from llmtui.core.store.health import check

    if not path.exists():
        return None
    if not path.is_file():  # a directory, a device or a pipe (whose open would block)
        return problem_of(OSError(errno.EINVAL, "not a regular file"), path)
    try:
        check(path)
    except (sqlite3.Error, NewerStore) as exc:
        return problem_of(exc, path)
    return None
