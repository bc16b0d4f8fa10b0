"""Where an answer goes when the store cannot take it (disk full, a damaged page): a Markdown
file of its own, readable by the user only, so nothing the user saw is ever lost.

The fallback folder is in the shared temp dir, where anyone may have made that name first
(a symlink to somewhere else, a folder of theirs, a 0777 one): a folder is used only when it
is a real folder, ours, and writable by us alone; else a fresh one (mkdtemp) is made.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from llmtui import paths
from llmtui.core.private_files import write_private
from llmtui.sanitize import one_line, sanitize


def _uid() -> int:
    return getattr(os, "getuid", lambda: 0)()


def _places() -> list[Path | None]:
    # The data dir first (beside the store as a rule); the temp dir when that disk is full;
    # None: a new folder of our own in the temp dir, when that name was taken by someone else.
    return [paths.data_dir() / "recovered",
            Path(tempfile.gettempdir()) / f"llmtui-{_uid()}-recovered", None]


def private_folder(folder: Path | None) -> Path:
    """`folder` made (0700) if missing, and checked: a real folder (not a symlink), ours, not
    writable by group or others. None: a new folder made for us (mkdtemp). Raises OSError."""
    if folder is None:
        return Path(tempfile.mkdtemp(prefix=f"llmtui-{_uid()}-recovered-"))
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode):  # a symlink (or a file) where our folder should be
        raise OSError(errno.ELOOP, "not a folder of ours (a symlink?)", str(folder))
    if found.st_uid != _uid() or found.st_mode & 0o022:
        raise OSError(errno.EPERM, "a folder others own or may write to", str(folder))
    return folder


def save_answer(text: str, *, model: str, why: str, reasoning: str = "", prompt: str = "",
                attached: Sequence[str] = ()) -> Path | None:
    """Write the answer, with the prompt that asked for it (and the names of the files sent
    with it), to a new file; its path, or None if no place would take it. Every piece is
    sanitised: the file is read in a terminal, and a pasted prompt can hold escapes too."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    body = f"# An answer llmtui could not save to its history\n\nmodel: {one_line(model)}\n"
    body += f"when: {stamp}\nwhy: {one_line(why)}\n\n"
    if prompt or attached:
        body += "## Prompt\n\n" + sanitize(prompt) + "\n\n"
        if attached:
            body += "attached: " + ", ".join(one_line(name) for name in attached) + "\n\n"
    if reasoning:
        body += "## Thinking\n\n" + sanitize(reasoning) + "\n\n"
    if prompt or attached or reasoning:
        body += "## Answer\n\n"
    body += sanitize(text) + "\n"
    return save(lambda path: write_private(path, body, replace=True), f"answer-{stamp}-")


def save(write: Callable[[Path], object], prefix: str) -> Path | None:
    """`write` into a new private file (0600) in the first place that takes it; its path, or
    None if none would."""
    for place in _places():
        try:
            folder = private_folder(place)
            # mkstemp: O_CREAT|O_EXCL|O_NOFOLLOW, 0600; the writer reopens it O_NOFOLLOW too
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=".md", dir=folder)
            os.close(fd)
        except OSError:
            continue
        try:
            write(Path(name))
            return Path(name)
        except OSError:
            Path(name).unlink(missing_ok=True)  # half written (that disk is full): the next place
    return None
