"""Streamed text: appends keep pieces, the end is read without joining, block ends found once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmtui.widgets.growing_text import BlockScanner, GrowingText, finished_prefix


def reference_prefix(text: str, in_fence: bool = False) -> tuple[int, bool]:
    """The rule read line by line over the whole text (how it was done before the scanner)."""
    split, split_fence, pos, fence = 0, in_fence, 0, in_fence
    for line in text.split("\n")[:-1]:
        pos += len(line) + 1
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fence = not fence
            if not fence:
                split, split_fence = pos, False
        elif not fence and not stripped:
            split, split_fence = pos, False
    return split, split_fence


TEXT = st.text(alphabet="ab `~\n#- \t", max_size=300)


@given(TEXT, st.booleans())
def test_the_scanner_agrees_with_reading_the_whole_text(text: str, in_fence: bool) -> None:
    assert finished_prefix(text, in_fence) == reference_prefix(text, in_fence)


@given(TEXT, st.lists(st.integers(min_value=0, max_value=300), max_size=12))
def test_feeding_in_pieces_finds_the_same_block_end(text: str, cuts: list[int]) -> None:
    scanner = BlockScanner()
    points = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    for a, b in zip(points, points[1:], strict=False):
        scanner.feed(text[a:b])
        assert scanner.split == finished_prefix(text[:b])[0]  # known as soon as it arrives
    assert scanner.length == len(text)


@given(TEXT, st.integers(min_value=0, max_value=300))
def test_after_taking_the_finished_blocks_the_rest_is_scanned_on(text: str, more: int) -> None:
    """Commit what is finished, then feed more: the same as scanning the rest afresh."""
    scanner = BlockScanner()
    head = text[: len(text) // 2]
    scanner.feed(head)
    taken = scanner.split
    scanner.rebase()
    rest = text[len(text) // 2:]
    scanner.feed(rest)
    in_fence = reference_fence_at(text, taken)
    assert scanner.split == finished_prefix(text[taken:], in_fence)[0]
    assert scanner.length == len(text) - taken


def reference_fence_at(text: str, pos: int) -> bool:
    fence = False
    for line in text[:pos].split("\n")[:-1]:
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
    return fence


def test_growing_text_joins_once_and_reads_the_end_without_joining() -> None:
    grown = GrowingText("ab")
    for piece in ("cd", "", "efg", "h"):
        grown.append(piece)
    assert len(grown) == 8 and bool(grown)
    assert grown.tail(3) == "fgh" and grown.tail(100) == "abcdefgh" and grown.tail(0) == ""
    assert str(grown) == "abcdefgh" == str(grown)
    assert not GrowingText() and str(GrowingText()) == ""
