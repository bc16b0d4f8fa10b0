"""Files the user attaches to a prompt: read, classified, bounded.

An image is recognised by its magic bytes (PNG, JPEG, GIF, WebP), never by its name; any
other file must be UTF-8 text (it goes in as a text part headed by its name). Anything else
is refused with a one-line reason. `@path` words in a prompt name files too (`take_at_paths`).
"""

from __future__ import annotations

import re
from pathlib import Path

from llmtui.providers.parts import ImagePart, Part, TextFilePart, human_size, sniff_image

MAX_BYTES = 32 * 1024 * 1024
"""Largest file read at all; the providers' own image limits (parts.IMAGE_LIMITS) are lower."""


class AttachmentError(ValueError):
    """A file that cannot be attached; the message is one line for the user."""


def from_bytes(data: bytes, name: str) -> Part:
    """An image part when the bytes are one, else a text file part; AttachmentError otherwise."""
    if len(data) > MAX_BYTES:
        raise AttachmentError(f"{name} is {human_size(len(data))}; attachments are at most "
                              f"{human_size(MAX_BYTES)}")
    media_type = sniff_image(data)
    if media_type is not None:
        return ImagePart(data, media_type, name)
    if b"\0" in data:
        raise AttachmentError(f"{name}: not an image (PNG, JPEG, GIF, WebP) nor UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AttachmentError(f"{name}: not an image (PNG, JPEG, GIF, WebP) nor UTF-8 text") from None
    return TextFilePart(name, text)


def load(path: str | Path) -> Part:
    """Read one file as an attachment (named by its file name)."""
    file = Path(path).expanduser()
    try:
        if not file.is_file():
            raise AttachmentError(f"{path}: no such file" if not file.exists() else f"{path}: not a file")
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise AttachmentError(f"{file.name} is {human_size(size)}; attachments are at most "
                                  f"{human_size(MAX_BYTES)}")
        data = file.read_bytes()
    except OSError as exc:
        raise AttachmentError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return from_bytes(data, file.name)


def size_of(part: Part) -> int:
    return len(part.data) if isinstance(part, ImagePart) else len(part.text.encode("utf-8"))


def label(part: Part) -> str:
    """`shot.png · 12.3 KB` for chips, transcripts and summaries."""
    return f"{part.name} · {human_size(size_of(part))}"


_AT_PATH = re.compile(r"(?<!\S)@(\S+)")


def take_at_paths(prompt: str, base: Path | None = None) -> tuple[str, list[Path]]:
    """`@path` words that name an existing file, taken out of the prompt.

    A word whose path does not exist stays as typed (`@someone` in prose is not a file).
    """
    found: list[Path] = []

    def take(match: re.Match[str]) -> str:
        path = Path(match.group(1)).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        if path.is_file():
            found.append(path)
            return ""
        return match.group(0)

    text = _AT_PATH.sub(take, prompt)
    return (re.sub(r"[ \t]{2,}", " ", text).strip() if found else prompt), found


def pasted_path(text: str, base: Path | None = None) -> Path | None:
    """The file a prompt names when it is nothing but a path (typed, or pasted from a file
    manager: quoted, or a file:// URL); None for anything else."""
    candidate = text.strip().strip("'\"")
    if candidate.startswith("file://"):
        candidate = candidate[len("file://"):]
    if not candidate or "\n" in candidate or len(candidate) > 4096:
        return None
    path = Path(candidate).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    try:
        return path if path.is_file() else None
    except OSError:
        return None
