"""A read-only check of a store file (`llmtui doctor`, llmtui.core.history_off.examine):
whether llmtui could use it, without creating, migrating or writing anything."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from llmtui.core.store.database import NewerStore
from llmtui.core.store.schema import SCHEMA_VERSION


def check(path: Path) -> None:
    """Raises what is wrong with the file at `path`: sqlite3.Error when it cannot be opened
    or read, NewerStore for a newer llmtui's schema, sqlite3.DatabaseError with the first
    damage `PRAGMA quick_check` finds. The file must exist and be a regular file."""
    db = sqlite3.connect(f"file:{quote(os.fspath(path))}?mode=ro", uri=True, timeout=1)
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise NewerStore(path, version)
        verdict = str(db.execute("PRAGMA quick_check(1)").fetchone()[0])
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
    finally:
        db.close()
