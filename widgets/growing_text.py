"""Streamed text, handled so each frame costs the new piece, not everything received so far.

`GrowingText` holds an answer or a thought as it arrives: appending keeps the piece (no copy
of the whole, as `text += piece` makes), the end is read without joining, and the whole is
joined only when asked for (the final render, a copy). `BlockScanner` finds where finished
Markdown blocks end while text arrives, reading each character once.
"""

from __future__ import annotations


class GrowingText:
    """Text that grows by appends."""

    __slots__ = ("_length", "_parts")

    def __init__(self, text: str = "") -> None:
        self._parts = [text] if text else []
        self._length = len(text)

    def append(self, piece: str) -> None:
        if piece:
            self._parts.append(piece)
            self._length += len(piece)

    def __len__(self) -> int:
        return self._length

    def __str__(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def tail(self, count: int) -> str:
        """The last `count` characters (all of them if there are fewer)."""
        if count <= 0:
            return ""
        taken: list[str] = []
        size = 0
        for part in reversed(self._parts):
            taken.append(part)
            size += len(part)
            if size >= count:
                break
        return "".join(reversed(taken))[-count:]


class BlockScanner:
    """Where the finished Markdown blocks end in text fed piece by piece.

    A block is finished at a blank line outside a code fence, or at a closing fence; an
    unfinished line never closes one. Only "\\n" ends a line.
    """

    __slots__ = ("_fence", "_head", "length", "split")

    def __init__(self, in_fence: bool = False) -> None:
        self.length = 0
        """Characters fed."""
        self.split = 0
        """Characters from the start up to the end of the last finished block."""
        self._fence = in_fence
        self._head = ""  # the open line's first characters after its indent (3 tell a fence)

    def feed(self, text: str) -> None:
        start, end_of_text = 0, len(text)
        while True:
            newline = text.find("\n", start)
            end = end_of_text if newline < 0 else newline
            if len(self._head) < 3:
                segment = text[start:min(end, start + 64)] if self._head else text[start:end].lstrip()
                self._head = (self._head + segment)[:3]
            if newline < 0:
                self.length += end_of_text - start
                return
            self.length += newline + 1 - start
            head, self._head = self._head, ""
            if head.startswith(("```", "~~~")):
                self._fence = not self._fence
                if not self._fence:
                    self.split = self.length
            elif not self._fence and not head:
                self.split = self.length
            start = newline + 1

    def rebase(self) -> None:
        """The text up to `split` was taken away: count from there."""
        self.length -= self.split
        self.split = 0


def finished_prefix(text: str, in_fence: bool = False) -> tuple[int, bool]:
    """Length of the leading part of `text` made of finished Markdown blocks.

    Args:
        text: Uncommitted text, starting at a block boundary.
        in_fence: Whether `text` starts inside a code fence.

    Returns:
        (split index, whether the text at the split index is inside a fence).
    """
    scanner = BlockScanner(in_fence)
    scanner.feed(text)
    return scanner.split, in_fence and not scanner.split
