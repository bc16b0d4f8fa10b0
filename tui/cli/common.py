"""Small helpers every CLI command shares: config loading and error lines."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from llmtui.core.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from llmtui.core.store import Store


class CliExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def fail(message: str, code: int = 2) -> CliExit:
    """Print `llmtui: error: ...` and return the exit to raise."""
    print(f"llmtui: error: {message}", file=sys.stderr)
    return CliExit(code)


def damaged_store(exc: Exception) -> CliExit:
    """The store file cannot be read past a damaged page: what happened and what to do."""
    from llmtui import paths
    from llmtui.core.history_off import problem_of

    problem = problem_of(exc, paths.store_file())
    why = ("; new answers still save, but this command needs the damaged part"
           if problem.reason.startswith("is damaged") else "")
    return fail(f"{problem.shown_path}: the store {problem.reason}{why}. To repair: "
                f"{problem.repair}", 2)


def load_config_or_exit() -> Config:
    try:
        return load_config()
    except ConfigError as exc:
        raise fail(str(exc), 2) from None


def store_or_exit() -> Store:
    """Open the store; a broken file is a clear line and exit 2."""
    import sqlite3

    from llmtui.core.store import Store

    try:
        return Store()
    except (sqlite3.DatabaseError, RuntimeError, OSError) as exc:
        from llmtui import paths
        from llmtui.core.history_off import problem_of

        problem = problem_of(exc, paths.store_file())
        raise fail(f"cannot open the store: {problem.shown_path} {problem.reason}. To repair: "
                   f"{problem.repair}", 2) from None
