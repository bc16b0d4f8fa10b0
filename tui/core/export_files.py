"""Attachments in a Markdown export: files written beside it (the default) or embedded.

Beside: `<export stem>_files/<first 12 hex of sha256>-<name>.<its type's extension>`, each
written once (0600, never through a symlink, never over a file: private_files.py), linked
relatively (`![shot.png](llmtui-3-x_files/a07263a379b5-shot.png)` for an image). Embedded
(`--embed-images`): an image becomes a `data:` URL, a text file a fenced block. Either way
the Markdown never depends on the store.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from llmtui.core.private_files import open_private_dir, write_private
from llmtui.core.store import StoredAttachment, digest
from llmtui.providers.parts import ImagePart, Part, human_size
from llmtui.sanitize import sanitize

Render = Callable[[StoredAttachment], str]


def _label(att: StoredAttachment) -> str:
    name = re.sub(r"[\[\]\n]", "_", sanitize(att.name))
    size = len(digest(att.part)[3])
    return f"{name} ({human_size(size)})"


def mention(att: StoredAttachment) -> str:
    """No files at all: just say what was attached."""
    return f"*attached: {_label(att)}*"


def embed(att: StoredAttachment) -> str:
    part = att.part
    if isinstance(part, ImagePart):
        return f"![{_label(att)}]({part.data_url()})"
    fence = "````" if "```" in part.text else "```"
    return f"*attached: {_label(att)}*\n\n{fence}\n{sanitize(part.text)}\n{fence}"


_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


def safe_name(name: str, part: Part | None = None) -> str:
    """A file name fit for any file system, ending as its content says: an image gets its
    type's extension (`stdin` -> `stdin.png`, a PNG named `x.txt` -> `x.txt.png`), a text
    file keeps its own unless that names an image (`notes.png` -> `notes.png.txt`); the
    extension survives the cut to 60 characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    stem, suffix = cleaned, ""
    if part is not None:
        own = Path(cleaned).suffix.lower()
        if isinstance(part, ImagePart):
            want = _EXTENSIONS.get(part.media_type, "")
            suffix = "" if own == want or (own == ".jpeg" and want == ".jpg") else want
        elif not own or own in (*_EXTENSIONS.values(), ".jpeg"):
            suffix = ".txt"
        if not suffix and own:
            stem, suffix = cleaned[: -len(own)], cleaned[-len(own):]
    return stem[: 60 - len(suffix)] + suffix


class Beside:
    """Writes each attachment once into a folder next to the export and links to it: never
    through a symlink, never over an existing file unless `replace` (private_files.py)."""

    def __init__(self, markdown_path: Path, replace: bool = False) -> None:
        self.folder = markdown_path.with_name(f"{markdown_path.stem}_files")
        self.replace = replace
        self.written: dict[str, str] = {}

    def __call__(self, att: StoredAttachment) -> str:
        name = self.written.get(att.sha256)
        if name is None:
            name = f"{att.sha256[:12]}-{safe_name(att.name, att.part)}"
            folder = open_private_dir(self.folder)
            try:
                write_private(Path(name), digest(att.part)[3], replace=self.replace, folder_fd=folder)
            except OSError as exc:
                exc.filename = str(self.folder / name)
                raise
            finally:
                os.close(folder)
            self.written[att.sha256] = name
        link = f"{self.folder.name}/{name}"
        bang = "!" if isinstance(att.part, ImagePart) else ""
        return f"{bang}[{_label(att)}]({link})"
