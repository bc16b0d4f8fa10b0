"""`llmtui leaderboard [--json]`: your win rates from compare-mode votes."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from llmtui.cli.common import CliExit, store_or_exit

if TYPE_CHECKING:
    from llmtui.core.store import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON list of models with their tallies")


def run(args: argparse.Namespace) -> int:
    from llmtui.core.leaderboard import percent, standings
    from llmtui.sanitize import sanitize

    try:
        store: Store = store_or_exit()  # type: ignore[no-untyped-call]
    except CliExit as exc:
        return exc.code
    try:
        rows = standings(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2))
        return 0
    if not rows:
        print("no votes yet: compare two models (c in the TUI) and vote for the better answer")
        return 0
    header = ("MODEL", "WINS", "LOSSES", "TIES", "WIN RATE", "VOTES")
    table = [(sanitize(r.model), str(r.wins), str(r.losses), str(r.ties), percent(r.win_rate),
              str(r.votes)) for r in rows]
    width = max(len(header[0]), *(len(t[0]) for t in table))
    print(f"{header[0]:<{width}}  " + "  ".join(f"{h:>8}" for h in header[1:]))
    for row in table:
        print(f"{row[0]:<{width}}  " + "  ".join(f"{c:>8}" for c in row[1:]))
    return 0
