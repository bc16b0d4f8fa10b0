"""Plain-text tables for the CLI: the first column left-aligned, numbers right-aligned."""

from __future__ import annotations

from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1,
          align: str | None = None) -> list[str]:
    """Lines of a table; the first `left` columns align left, the rest right.

    `align`, one letter per column ("r" right, anything else left), overrides `left`.
    """
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    align = align or "l" * left + "r" * (len(header) - left)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(widths[i]) if align[i] == "r" else str(c).ljust(widths[i])
            for i, c in enumerate(cells)
        ).rstrip()

    return [line(header), *(line(r) for r in rows)]
