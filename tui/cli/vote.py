"""`llmtui vote RUN_ID`: judge a stored compare run blind, pair by pair, in the TUI."""

from __future__ import annotations

import argparse

from llmtui.cli.arg_types import record_id
from llmtui.cli.common import CliExit, fail, load_config_or_exit, store_or_exit


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Judge the answers of a compare run (`llmtui compare` prints its id) blind: every two "
        "models' finished answers to the same prompt make a pair; pairs come in a random "
        "order and each pair's sides are drawn at random; the names show only after you "
        "vote. Keys: a, b, t (tie), x (both bad), d (word diff), s (skip), Enter (next)."
    )
    p.add_argument("run_id", type=record_id, metavar="RUN_ID", help="the compare run to judge")


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config_or_exit()
        store = store_or_exit()
    except CliExit as exc:
        return exc.code
    try:
        compare_run = store.load_run(args.run_id)
        if compare_run is None:
            raise fail(f"no compare run {args.run_id}; `llmtui compare` prints the id of each")
        from llmtui.vote_app import VoteApp

        VoteApp(config, store, compare_run).run()
        return 0
    except CliExit as exc:
        return exc.code
    finally:
        store.close()
