"""Argument types shared by the commands: numbers the store can hold, refused by argparse with
one line (exit 2) instead of an OverflowError from SQLite deep inside a command."""

from __future__ import annotations

import argparse

from llmtui.sanitize import one_line

LARGEST_ID = 2**63 - 1
"""SQLite's INTEGER holds no more."""


def record_id(text: str) -> int:
    """A conversation or compare-run id: a whole number from 1 to SQLite's largest."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an id: '{one_line(text)[:40]}' (ids are whole "
                                         "numbers)") from None
    if not 1 <= value <= LARGEST_ID:
        raise argparse.ArgumentTypeError(f"no such id: {one_line(text)[:40]} (ids are whole "
                                         "numbers from 1)")
    return value


def count(text: str) -> int:
    """A how-many: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{one_line(text)[:40]}'") from None
    if not 1 <= value <= LARGEST_ID:
        raise argparse.ArgumentTypeError(f"expected 1 or more, not {one_line(text)[:40]}")
    return value
