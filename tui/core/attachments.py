"""Files the user attaches to a prompt: read, classified, bounded.

An image is recognised by its magic bytes (PNG, JPEG, GIF, WebP), never by its name; any
other file must be UTF-8 text (it goes in as a text part headed by its name). Anything else
is refused with a one-line reason. `@path` words and lone paths in a prompt: mentions.py.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from llmtui.core.image_header import image_size
from llmtui.providers.parts import ImagePart, Part, TextFilePart, human_size, sniff_image
from llmtui.sanitize import one_line

MAX_BYTES = 32 * 1024 * 1024
"""Largest file read at all; the providers' own image limits (parts.IMAGE_LIMITS) are lower."""


class AttachmentError(ValueError):
    """A file that cannot be attached; the message is one line for the user."""


_NOT_READABLE = "not an image (PNG, JPEG, GIF, WebP) nor UTF-8 text"


def from_bytes(data: bytes, name: str) -> Part:
    """An image part when the bytes are one (its header read whole), else a text file part;
    AttachmentError otherwise (empty, too large, a damaged image, binary)."""
    if not data:
        raise AttachmentError(f"{shown(name)} is empty; nothing to attach")
    if len(data) > MAX_BYTES:
        raise AttachmentError(f"{shown(name)} is {human_size(len(data))}; attachments are at most "
                              f"{human_size(MAX_BYTES)}")
    media_type = sniff_image(data)
    if media_type is not None:
        if image_size(data) is None:
            kind = media_type.split("/")[1].upper()
            raise AttachmentError(f"{shown(name)} starts like a {kind} but its header cannot be "
                                  "read (damaged or cut short); not attached")
        return ImagePart(data, media_type, name)
    if b"\0" in data:
        raise AttachmentError(f"{shown(name)}: {_NOT_READABLE}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AttachmentError(f"{shown(name)}: {_NOT_READABLE}") from None
    return TextFilePart(name, text)


def check(path: str | Path) -> Path:
    """The regular file `path` names (~ expanded), or AttachmentError saying why not: no such
    file, a symlink loop, a directory or FIFO or device ("not a file")."""
    if not str(path).strip():
        raise AttachmentError("no file named (the path is empty)")
    file = Path(path).expanduser()
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise AttachmentError(f"{shown(path)}: no such file") from None
    except OSError as exc:
        why = "a symlink loop" if exc.errno == errno.ELOOP else f"cannot read it ({exc.strerror or exc})"
        raise AttachmentError(f"{shown(path)}: {why}") from None
    if not stat.S_ISREG(mode):
        raise AttachmentError(f"{shown(path)}: not a file ({_kind(mode)})")
    return file


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def load(path: str | Path) -> Part:
    """Read one regular file as an attachment (named by its file name)."""
    file = check(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:  # named with its real size, and never read
            raise AttachmentError(f"{shown(file.name)} is {human_size(size)}; attachments are at "
                                  f"most {human_size(MAX_BYTES)}")
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AttachmentError(f"{shown(path)}: cannot read it ({exc.strerror or exc})") from None
    return from_bytes(data, file.name)


def size_of(part: Part) -> int:
    return len(part.data) if isinstance(part, ImagePart) else len(part.text.encode("utf-8"))


def shown(name: str | Path) -> str:
    """A file name as it may be printed: a name can hold escape codes and bidi overrides
    (ESC shows as ␛, U+202E as <U+202E>), on one line."""
    return one_line(str(name))


def label(part: Part) -> str:
    """`shot.png · 12.3 KB` for chips, transcripts and summaries (the name made visible)."""
    return f"{shown(part.name)} · {human_size(size_of(part))}"
