"""`llmtui doctor`: versions, files, key sources (masked), network, prices, terminal.

It reports a broken config instead of stopping at it, and exits 0 unless the report itself
cannot be made: its job is to be pasted into a support question.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object of sections")


def run(args: argparse.Namespace) -> int:
    from llmtui.core.config import Config, ConfigError, load_config
    from llmtui.core.diagnose import report

    config: Config | None
    try:
        config, problem = load_config(), None
    except ConfigError as exc:
        config, problem = None, str(exc)
    sections = report(config, problem)
    if args.json:
        print(json.dumps({name: dict(rows) for name, rows in sections}, indent=2))
        return 0
    for name, rows in sections:
        print(f"{name}")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"  {label + ':':<{width + 1}} {value}")
    return 0
