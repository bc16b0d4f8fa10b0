"""A word-level diff of two answers, as runs of text marked same / only here.

Words and the whitespace after them are compared as units (difflib's SequenceMatcher
over tokens), so a diff reads as prose, not as characters. Each side gets its own runs:
what it shares with the other side, and what only it has.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\S+\s*|\s+")
MAX_TOKENS = 6_000
"""Past this many words per side the diff is not computed (SequenceMatcher is quadratic)."""


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    same: bool


@dataclass(frozen=True, slots=True)
class WordDiff:
    left: list[Run]
    right: list[Run]
    similarity: float
    """SequenceMatcher's ratio over words: 1.0 identical, 0.0 nothing shared."""


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(left: str, right: str) -> WordDiff | None:
    """None when either side is too long to diff quickly."""
    a, b = tokens(left), tokens(right)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        return None
    # Compare words without their trailing spaces, so a reflowed line still matches.
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b],
                                      autojunk=False)
    left_runs: list[Run] = []
    right_runs: list[Run] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal"
        if i2 > i1:
            _append(left_runs, "".join(a[i1:i2]), same)
        if j2 > j1:
            _append(right_runs, "".join(b[j1:j2]), same)
    return WordDiff(left_runs, right_runs, matcher.ratio())


def _append(runs: list[Run], text: str, same: bool) -> None:
    if runs and runs[-1].same == same:
        runs[-1] = Run(runs[-1].text + text, same)
    else:
        runs.append(Run(text, same))
