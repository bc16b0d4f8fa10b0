"""Writing exports: private (0600 files, 0700 folders), never through a symlink, never over
an existing file unless asked.

An export lands in a folder the user may share (a download folder, a repo), where a symlink
planted under the export's name would redirect the write (`llmtui-3-x_files/…-shot.png ->
~/.bashrc`). So a file is created with O_CREAT|O_EXCL|O_NOFOLLOW (an existing name, link or
not, is refused); `replace=True` (`llmtui export --force`) truncates an existing regular file
but still refuses a symlink. The attachments folder is opened with O_NOFOLLOW|O_DIRECTORY and
its files created relative to it, so a folder swapped for a link is never followed either.
Errors are OSError with a one-line reason and the file name.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _refused(path: Path | str, why: str, code: int) -> OSError:
    return OSError(code, why, str(path))


def write_private(path: Path, data: str | bytes, *, replace: bool = False,
                  folder_fd: int | None = None) -> None:
    """Create `path` (0600) holding `data`. Raises OSError: it exists (unless `replace`), it
    is a symlink, it is not a regular file. `folder_fd`: `path` is a name in that folder."""
    flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    flags |= os.O_TRUNC if replace else os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600, dir_fd=folder_fd)
    except FileExistsError:
        raise _refused(path, "it exists; --force replaces it", errno.EEXIST) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refused(path, "it is a symlink; llmtui never writes through one", errno.ELOOP) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refused(path, "not a regular file", errno.EINVAL)
        os.fchmod(fd, 0o600)  # an existing file replaced keeps its old mode otherwise
        raw = data.encode("utf-8") if isinstance(data, str) else data
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def check_free(path: Path, replace: bool = False) -> None:
    """Raise what write_private would for `path`, before anything else of an export is written."""
    if os.path.islink(path):
        raise _refused(path, "it is a symlink; llmtui never writes through one", errno.ELOOP)
    if not replace and os.path.lexists(path):
        raise _refused(path, "it exists; --force replaces it", errno.EEXIST)


def open_private_dir(folder: Path) -> int:
    """The folder (made 0700 if new) opened for writing files into; never a symlink. Close it."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    try:
        return os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            why = "it is a symlink" if os.path.islink(folder) else "not a folder"
            raise _refused(folder, f"{why}; llmtui never writes through one", exc.errno) from None
        raise


def free_path(path: Path) -> Path:
    """`path`, or the first `stem-2.suffix`, `stem-3.suffix`… that nothing (not even a dangling
    link) holds: for an export nobody named, which must not replace an earlier one."""
    found, n = path, 1
    while os.path.lexists(found) or os.path.lexists(found.with_name(f"{found.stem}_files")):
        n += 1
        found = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return found
