"""The export's outline stays the outline: its headings are unique, and a message's own
headings are pushed below them.

A model's answer often has `## Overview`-style headings; left as they are, they sit at the
same level as the export's `## Prompt 2` and a reader (or a table of contents) cannot tell the
structure from the content. And the same heading twice (`## You`, a model asked twice) gives
the same anchor twice. `Outline.heading` numbers a repeat; `demote` shifts a message's ATX and
setext headings (never inside a fenced code block) to start one level below the export's own.
"""

from __future__ import annotations

import re

_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def anchor(text: str) -> str:
    """The anchor GitHub (and most renderers) make of a heading: lower case, punctuation
    dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


class Outline:
    """The export's own headings, each with an anchor no other heading of the file has."""

    def __init__(self) -> None:
        self._anchors: set[str] = set()

    def heading(self, level: int, text: str) -> str:
        unique, n = text, 1
        while anchor(unique) in self._anchors:
            n += 1
            unique = f"{text} ({n})"
        self._anchors.add(anchor(unique))
        return f"{'#' * level} {unique}"


def _is_paragraph_line(line: str) -> bool:
    """A line a setext underline turns into a heading (text, not a list item or a quote)."""
    stripped = line.strip()
    return bool(stripped) and not _ATX.match(line) and not re.match(r"^([-*+>|]|\d+[.)])\s", stripped)


def demote(text: str, below: int) -> str:
    """`text` with its headings shifted so that the biggest one is level `below + 1` (at most
    6); setext headings become ATX ones at their new level. Code fences are left alone."""
    lines = text.split("\n")
    found: list[tuple[int, int, bool]] = []  # (line index, level, setext)
    fence: str | None = None
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((i, len(atx.group(2)), False))
        elif (setext := _SETEXT.match(line)) and i and _is_paragraph_line(lines[i - 1]):
            found.append((i, 1 if setext.group(1)[0] == "=" else 2, True))
    if not found:
        return text
    shift = max(0, below + 1 - min(level for _, level, _ in found))
    if shift == 0:
        return text
    for i, level, underlined in reversed(found):
        new = "#" * min(6, level + shift)
        if underlined:
            lines[i - 1:i + 1] = [f"{new} {lines[i - 1].strip()}"]
        else:
            indent = _ATX.match(lines[i])
            lines[i] = (indent.group(1) if indent else "") + new + lines[i].lstrip(" ").lstrip("#")
    return "\n".join(lines)
