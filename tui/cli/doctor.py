"""`llmtui doctor`: versions, files, key sources (masked), network, prices, terminal.

It reports a broken config instead of stopping at it, and exits 0 unless the report itself
cannot be made: its job is to be pasted into a support question.
"""

from __future__ import annotations

import argparse

from llmtui.sanitize import json_dumps


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object of sections")
    p.add_argument("--repair-store", action="store_true",
                   help="copy every readable row of a damaged history store into a new one "
                        "that takes its place (the damaged file is kept beside it); close "
                        "llmtui first")


def run(args: argparse.Namespace) -> int:
    if args.repair_store:
        return _repair_store()
    from llmtui.core.config import Config, ConfigError, load_config
    from llmtui.core.diagnose import report

    config: Config | None
    try:
        config, problem = load_config(), None
    except ConfigError as exc:
        config, problem = None, str(exc)
    sections = report(config, problem)
    if args.json:
        print(json_dumps({name: dict(rows) for name, rows in sections}, indent=2))
        return 0
    columns = _columns()
    for name, rows in sections:
        print(f"{name}")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(_row(f"  {label + ':':<{width + 1}} ", value, columns))
    return 0


def _columns() -> int | None:
    """The terminal's width, to wrap long values in; None when the report is piped (a pasted
    report keeps one line per value, for grep)."""
    import shutil
    import sys

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _row(head: str, value: str, columns: int | None) -> str:
    """`head` then `value`, wrapped under the value's own column; words and paths stay whole."""
    if columns is None or len(head) + len(value) <= columns:
        return head + value
    import textwrap

    return textwrap.fill(value, width=max(columns, len(head) + 20), initial_indent=head,
                         subsequent_indent=" " * len(head), break_long_words=False,
                         break_on_hyphens=False)


def _repair_store() -> int:
    import sqlite3
    import sys

    from llmtui import paths
    from llmtui.core.history_off import examine, shown
    from llmtui.core.store.salvage import repair

    path = paths.store_file()
    problem = examine(path)
    if problem is None:
        print(f"{shown(str(path))}: the store is sound (or not made yet); nothing to repair")
        return 0
    if not problem.reason.startswith("is damaged"):
        print(f"llmtui: error: {problem.shown_path} {problem.reason}; a repair cannot help. "
              f"{problem.repair}", file=sys.stderr)
        return 2
    try:
        report = repair(path)
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        print(f"llmtui: error: {problem.shown_path}: the repair failed ({shown(str(exc))}); "
              "the store is as it was", file=sys.stderr)
        return 1
    kept = ", ".join(f"{n} {table}" for table, n in report.kept.items() if n)
    lost = (f"; {', '.join(report.damaged)} met the damage: the rows on those pages are lost"
            if report.damaged else "")
    print(f"repaired {problem.shown_path}: kept {kept or 'nothing'}{lost}. The damaged file is "
          f"kept as {shown(str(report.aside))}")
    return 0
