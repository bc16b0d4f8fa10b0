"""`llmtui leaderboard [--json]`: ratings from your blind votes, with their uncertainty."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from llmtui.cli.common import CliExit, store_or_exit
from llmtui.cli.table import table
from llmtui.sanitize import json_dumps

if TYPE_CHECKING:
    from llmtui.core.leaderboard import Board, Tally
    from llmtui.core.store import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Ratings from your blind votes: Bradley-Terry on the Elo scale (1000 = a model that "
        "draws everything) with a 95% interval (wide with few votes), overall and per prompt set. A tie, "
        "and a 'both bad' vote, count half a win for each side. Votes cast with the names "
        "showing are tallied apart and never rated."
    )
    p.add_argument("--json", action="store_true",
                   help="one JSON object: method, overall, prompt_sets, compare_votes")


def run(args: argparse.Namespace) -> int:
    from llmtui.core.leaderboard import leaderboard

    try:
        store: Store = store_or_exit()
    except CliExit as exc:
        return exc.code
    try:
        board = leaderboard(store)
    finally:
        store.close()
    if args.json:
        print(json_dumps(board.as_dict(), indent=2))
        return 0
    if not board.overall.votes and not board.compare_votes:
        print("no votes yet: compare two models blind (llmtui --compare A B --blind) and vote")
        return 0
    if board.overall.votes:
        print(f"Blind votes: {board.overall.votes} · rating: Bradley-Terry, 95% interval "
              "(wide with few votes) · a tie or 'both bad' counts half a win")
        _print_board(board.overall)
    else:
        print("No blind votes yet, so no ratings (llmtui --compare A B --blind, or llmtui vote RUN).")
    for name, rated in board.prompt_sets.items():
        print(f"\nPrompt set {_clean(name)}: {rated.votes} blind votes")
        _print_board(rated)
    if board.compare_votes:
        print(f"\nVotes with the names showing: {board.compare_votes} (not rated)")
        _print_tallies(board.compare_tallies)
    return 0


def _clean(text: str) -> str:
    from llmtui.sanitize import sanitize

    return sanitize(text)


def _counts(t: Tally) -> list[str]:
    from llmtui.core.leaderboard import percent

    return [str(t.votes), str(t.wins), str(t.losses), str(t.ties), str(t.both_bad),
            percent(t.win_rate)]


COUNT_HEADER = ["VOTES", "WINS", "LOSSES", "TIES", "BOTH BAD", "WIN RATE"]


def _print_board(rated: Board) -> None:
    rows = [[str(rank), _clean(s.model), f"{s.rating:.0f}", f"{s.low:.0f}–{s.high:.0f}",
             *_counts(s.tally)] for rank, s in enumerate(rated.standings, start=1)]
    for line in table(["#", "MODEL", "RATING", "95% CI", *COUNT_HEADER], rows, left=2):
        print(line)


def _print_tallies(tallies: list[Tally]) -> None:
    rows = [[_clean(t.model), *_counts(t)] for t in tallies]
    for line in table(["MODEL", *COUNT_HEADER], rows):
        print(line)
