"""Every branch a conversation kept, wherever it sits in the tree, named by the turn it
branched from.

An edit or a rerun replaces a turn; the turns it replaced stay on the new turn as `earlier`
(core/turns.py). A branch can hold branches of its own: answer prompt 6, rerun it on another
model (branch 6a), then edit prompt 4, and the thread 4-6 that goes into branch 4a carries
6a inside it. `kept_branches` walks the whole tree, so the F8 screen reaches every kept answer
and the Markdown export lists each one once, under the label a reader can follow: "4a" is the
first branch kept at turn 4 of the current thread, "4a/6a" the first kept at turn 6 of 4a.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from llmtui.core.turns import Turn, TurnKind


@dataclass(frozen=True, slots=True)
class Branch:
    label: str
    """Where it sits: "4a", or "4a/6a" for one kept inside branch 4a."""
    number: int
    """The number its first turn had in its thread (turn 4 of the thread it left)."""
    turns: tuple[Turn, ...]
    """The replaced turn and the ones that followed it, in order."""
    replaced_by: Turn
    """The turn now in its place."""
    within: str = ""
    """The label of the branch it sits in; "" for one kept from the current thread."""

    @property
    def how(self) -> str:
        """Why it was left: 'rerun on X' or 'edited'."""
        if self.replaced_by.kind is TurnKind.RERUN:
            return f"rerun on {', '.join(self.replaced_by.refs) or 'another model'}"
        return "edited"

    @property
    def where(self) -> str:
        """'turn 4', or 'turn 6 of branch 4a'."""
        return f"turn {self.number}" + (f" of branch {self.within}" if self.within else "")


def _letters(index: int) -> str:
    """a, b, … z, aa, ab, …: the index-th branch kept at one turn."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def kept_branches(thread: Sequence[Turn], *, start: int = 1, within: str = "") -> list[Branch]:
    """Every branch kept from `thread` (turns numbered from `start`) and, depth first, the
    branches inside each of them."""
    out: list[Branch] = []
    for offset, turn in enumerate(thread):
        # A branch's first turn still holds the branches kept before it; they moved to the
        # turn that replaced it (its `earlier` starts with them) and are listed from there.
        if within and offset == 0:
            continue
        number = start + offset
        for index, turns in enumerate(turn.earlier):
            label = f"{within}/" * bool(within) + f"{number}{_letters(index)}"
            out.append(Branch(label, number, tuple(turns), turn, within))
            out += kept_branches(turns, start=number, within=label)
    return out


def newest(branches: Sequence[Branch]) -> int:
    """The index of the branch kept last (its replacing prompt was stored last)."""
    if not branches:
        return 0
    ids = [b.replaced_by.user_id if b.replaced_by.user_id is not None else -1 for b in branches]
    return max(range(len(branches)), key=lambda i: (ids[i], i))
