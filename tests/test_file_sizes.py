"""One idea per module: no source file over MAX_LINES lines unless its module docstring says why,
in a line that starts with MARKER ("One file because it is one wire format, end to end: ...").

A long file is usually two ideas; the reason line makes keeping one a decision someone wrote
down, not drift. PENDING names files another change is splitting right now; an entry that is no
longer needed fails, so the list cannot go stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("tui", "widgets", "providers", "themes")
MAX_LINES = 350
MARKER = "One file because"

PENDING = {
    "widgets/compare_lanes.py": "in the streaming work (issue 14, stream worktree), which owns it",
}
"""Over the limit without a reason, for now: relative path -> who is splitting it."""


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def has_reason(path: Path) -> bool:
    """The module docstring has a line starting with MARKER, followed by the reason itself."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return any(line.strip().startswith(MARKER) and len(line.strip()) > len(MARKER) + 10
               for line in doc.splitlines())


def oversized(root: Path = ROOT) -> list[str]:
    """Files over MAX_LINES lines without a reason, relative to `root`."""
    return sorted(
        str(path.relative_to(root))
        for folder in FOLDERS
        for path in (root / folder).rglob("*.py")
        if line_count(path) > MAX_LINES and not has_reason(path)
    )


def test_no_source_file_is_over_the_limit_without_a_reason() -> None:
    found = [f"{name} ({line_count(ROOT / name)} lines)" for name in oversized() if name not in PENDING]
    assert found == [], (f"over {MAX_LINES} lines: split by idea, or add a line starting "
                         f"{MARKER!r} to the module docstring saying why it is one file")


def test_pending_entries_are_still_needed() -> None:
    stale = sorted(set(PENDING) - set(oversized()))
    assert stale == [], f"no longer over the limit: remove from tests/test_file_sizes.py PENDING: {stale}"


def test_the_rule_sees_a_long_file_and_its_reason(tmp_path: Path) -> None:
    """The check itself, on files made for it: long without a reason is caught; a marker line with
    no reason after it does not count; a real reason does; short files need none."""
    folder = tmp_path / "providers"
    folder.mkdir()
    body = "x = 1\n" * MAX_LINES
    (folder / "short.py").write_text('"""Short."""\n' + "x = 1\n" * (MAX_LINES - 1))
    (folder / "long.py").write_text('"""Long."""\n' + body)
    (folder / "bare.py").write_text(f'"""Long.\n\n{MARKER}.\n"""\n' + body)
    (folder / "why.py").write_text(f'"""Long.\n\n{MARKER} it is one wire format, end to end.\n"""\n'
                                   + body)
    assert oversized(tmp_path) == ["providers/bare.py", "providers/long.py"]
