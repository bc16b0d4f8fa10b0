"""settings.toml: what the app itself saves (theme, thinking mode, ...), beside config.toml,
which the app never writes (tomli-w would drop the user's comments)."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from llmtui import paths


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """What the app saved last time; a broken file is ignored, never fatal."""
    path = path or paths.settings_file()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return data


_SETTINGS_LOCK = threading.Lock()


def save_settings(updates: Mapping[str, Any], path: Path | None = None) -> None:
    """Merge `updates` into settings.toml, atomically, user-only permissions."""
    import tempfile

    import tomli_w

    path = path or paths.settings_file()
    with _SETTINGS_LOCK:  # saves run in threads; two close together must not interleave
        data = load_settings(path)
        data.update({k: v for k, v in updates.items() if v is not None})
        paths.ensure_private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                tomli_w.dump(data, fh)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

