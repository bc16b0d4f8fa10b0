"""Arena text for widgets: a blind side's figures line, the reveal, and word-diff text.

Before a vote a side's line holds only what the user judges (tokens, TTFT, tok/s): no
model, provider, served-by, price or cost, any of which could name the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from llmtui.core.timing import tokens_per_s as rate_of
from llmtui.sanitize import sanitize

if TYPE_CHECKING:
    from llmtui.core.store import StoredMessage, Vote
    from llmtui.core.word_diff import Run


def side_line(side: str, m: StoredMessage, *, revealed: bool) -> Text:
    text = Text()
    text.append(f"{side}", style="bold")
    if revealed and m.model:
        text.append(f" · {sanitize(m.model)}", style="bold")
    tilde = "~" if m.usage_estimated else ""
    text.append(f" · {tilde}{m.output_tokens or 0} tok")
    if revealed:
        cost = "$?" if m.cost_usd is None else f"{'~' if m.cost_estimated else ''}${m.cost_usd}"
        text.append(f" · {cost}")
    text.append(" · TTFT " + ("–" if m.ttft_s is None else f"{m.ttft_s:.2f}s"))
    rate = rate_of(m.output_tokens or 0, m.ttft_s, m.duration_s)
    text.append(" · " + ("– tok/s" if rate is None else f"{rate:.1f} tok/s"))
    return text


def verdict(vote: Vote) -> str:
    """The reveal after a blind vote, in one line."""
    a, b = sanitize(vote.side_a), sanitize(vote.side_b)
    said = {"a": f"A ({a}) is better", "b": f"B ({b}) is better", "tie": "a tie",
            "both_bad": "both bad"}[str(vote.choice)]
    return f"You said {said}. A was {a}, B was {b}."


def diff_text(runs: list[Run]) -> Text:
    """Shared words plain, words only this side has highlighted."""
    text = Text()
    for run in runs:
        text.append(sanitize(run.text), style="" if run.same else "bold reverse")
    return text


def diff_side(runs: list[Run], other: str, similarity: float) -> Text:
    """One pane's side of a word diff, headed by what it is compared with."""
    head = Text(f"word diff against {sanitize(other)} · {similarity:.0%} alike · "
                "highlighted: only here\n", style="italic")
    return head + diff_text(runs)


def unnamed(text: str, names: Iterable[str], label: str) -> str:
    """`text` with every name that would give a blind side away (its ref, model id, provider
    id and display name, any case) replaced by the side's label: a notice in a blind round."""
    import re

    for name in sorted({n for n in names if n}, key=len, reverse=True):  # the ref before its parts
        text = re.sub(re.escape(name), label, text, flags=re.IGNORECASE)
    return text
