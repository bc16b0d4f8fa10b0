"""Attachments in a Markdown export: files written beside it (the default) or embedded.

Beside: `<export stem>_files/<first 12 hex of sha256>-<name>`, each written once, linked
relatively (`![shot.png](llmtui-3-x_files/a07263a379b5-shot.png)` for an image). Embedded
(`--embed-images`): an image becomes a `data:` URL, a text file a fenced block. Either way
the Markdown never depends on the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from llmtui.core.attachment_store import StoredAttachment, digest
from llmtui.providers.parts import ImagePart, human_size
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


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    return cleaned[:60]


class Beside:
    """Writes each attachment once into a folder next to the export and links to it."""

    def __init__(self, markdown_path: Path) -> None:
        self.folder = markdown_path.with_name(f"{markdown_path.stem}_files")
        self.written: dict[str, Path] = {}

    def __call__(self, att: StoredAttachment) -> str:
        target = self.written.get(att.sha256)
        if target is None:
            target = self.folder / f"{att.sha256[:12]}-{safe_name(att.name)}"
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.write_bytes(digest(att.part)[3])
            target.chmod(0o600)
            self.written[att.sha256] = target
        link = f"{self.folder.name}/{target.name}"
        bang = "!" if isinstance(att.part, ImagePart) else ""
        return f"{bang}[{_label(att)}]({link})"
