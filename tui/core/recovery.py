"""Where an answer goes when the store cannot take it (disk full, a damaged page): a Markdown
file of its own, readable by the user only, so nothing the user saw is ever lost."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from llmtui import paths


def _places() -> list[Path]:
    # The data dir first (beside the store as a rule); the temp dir when that disk is full.
    return [paths.data_dir() / "recovered",
            Path(tempfile.gettempdir()) / f"llmtui-{getattr(os, 'getuid', lambda: 0)()}-recovered"]


def save_answer(text: str, *, model: str, why: str, reasoning: str = "") -> Path | None:
    """Write the answer to a new file; its path, or None if no place would take it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    body = f"# An answer llmtui could not save to its history\n\nmodel: {model}\nwhen: {stamp}\n"
    body += f"why: {why}\n\n"
    if reasoning:
        body += "## Thinking\n\n" + reasoning + "\n\n## Answer\n\n"
    body += text + "\n"
    return save(lambda path: path.write_text(body, encoding="utf-8"), f"answer-{stamp}-")


def save(write: Callable[[Path], object], prefix: str) -> Path | None:
    """`write` into a new private file (0600) in the first place that takes it; its path, or
    None if none would."""
    for folder in _places():
        try:
            paths.ensure_private_dir(folder)
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
