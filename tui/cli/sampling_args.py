"""`--temperature --top-p --max-tokens --seed --stop` for ask and compare, checked by
llmtui.core.sampling (the same rules as config.toml and the TUI's parameters panel)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from llmtui.cli.common import fail
from llmtui.core.sampling import (
    MAX_STOPS,
    SEED_MAX,
    STOP_MAX_CHARS,
    Sampling,
    SamplingError,
    check_stop,
    parse_float,
    parse_int,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--temperature", type=_checked(parse_float, "temperature"), help="0 to 2")
    p.add_argument("--top-p", type=_checked(parse_float, "top_p"), metavar="P",
                   help="nucleus sampling, 0 to 1")
    p.add_argument("--max-tokens", type=_checked(parse_int, "max_tokens"), help="at least 1")
    p.add_argument("--seed", type=_checked(parse_int, "seed"), metavar="N",
                   help=f"0 to {SEED_MAX}, for repeatable answers where the provider takes one")
    p.add_argument("--stop", action="append", default=[], metavar="TEXT",
                   help=f"end the answer at TEXT; repeat for up to {MAX_STOPS} "
                        f"(1 to {STOP_MAX_CHARS} characters each)")


def _checked(parse: Callable[[str, str], Any], name: str) -> Callable[[str], Any]:
    """An argparse type: the core check, its message as a one-line usage error."""
    def convert(text: str) -> Any:
        try:
            return parse(name, text)
        except SamplingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name  # argparse names the type in "invalid <name> value"
    return convert


def sampling_from(args: argparse.Namespace) -> Sampling:
    """The flags as one Sampling (unset ones None); a bad --stop set is a usage error (exit 2)."""
    try:
        stop = check_stop(args.stop)
    except SamplingError as exc:
        raise fail(f"--stop: {exc}") from None
    return Sampling(temperature=args.temperature, top_p=args.top_p, max_tokens=args.max_tokens,
                    seed=args.seed, stop=stop)
