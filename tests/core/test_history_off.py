"""What no-history mode says about a store it cannot use (llmtui.core.history_off): one line
whatever the path holds, and repair commands that paste into a shell as they are."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from llmtui.core.history_off import examine, problem_of, shell_quoted, shown
from llmtui.core.store import NewerStore, Store
from tests.fakes.damaged_stores import BROKEN

HOSTILE = "hist\x1b]52;c;cHduZWQ=\x07 \u202eevil\nname'$(touch pwned)"


def test_a_hostile_path_is_shown_on_one_line_with_nothing_raw(tmp_path: Path) -> None:
    path = tmp_path / HOSTILE / f"{HOSTILE}.sqlite3"
    problem = problem_of(sqlite3.DatabaseError("database disk image is malformed\x1b[2J"), path)
    for text in (problem.banner(), problem.warning("kept"), problem.hint()):
        assert "\n" not in text and "\x1b" not in text and "\x07" not in text
        assert "\u202e" not in text
    for text in (problem.banner(), problem.warning()):
        assert "<U+202E>" in text and "␛" in text and "␊" in text


def test_repair_commands_quote_the_path_for_the_shell(tmp_path: Path) -> None:
    """The command run by a real shell names the real file: nothing in the path runs."""
    folder = tmp_path / HOSTILE
    folder.mkdir()
    target = folder / "llmtui.sqlite3"
    target.write_text("x")
    subprocess.run(["bash", "-c", f"mv {shell_quoted(target)} {shell_quoted(str(target) + '.aside')}"],
                   check=True, cwd=tmp_path)
    assert not target.exists() and Path(str(target) + ".aside").read_text() == "x"
    assert not (tmp_path / "pwned").exists()


def test_a_plain_path_is_quoted_plainly() -> None:
    assert shell_quoted("/home/a b/llmtui.sqlite3") == "'/home/a b/llmtui.sqlite3'"
    assert shell_quoted("/home/ab/llmtui.sqlite3") == "/home/ab/llmtui.sqlite3"
    assert shown("a\tb\nc\x1b") == "a␉b␊c␛"


@pytest.mark.parametrize("broken", list(BROKEN))
def test_doctor_examines_without_writing(broken: str, tmp_path: Path) -> None:
    path = tmp_path / "llmtui.sqlite3"
    reason = BROKEN[broken](path)
    before = path.read_bytes() if path.is_file() else None
    problem = examine(path)
    assert problem is not None
    assert problem.reason.split(" (")[0] == reason.split(" (")[0]  # quick_check names the page
    assert (path.read_bytes() if path.is_file() else None) == before


def test_a_sound_store_examines_clean(tmp_path: Path) -> None:
    Store(tmp_path / "s.sqlite3").close()
    assert examine(tmp_path / "s.sqlite3") is None and examine(tmp_path / "absent") is None


def test_a_newer_schema_is_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    BROKEN["newer-schema"](path)
    before = path.read_bytes()
    with pytest.raises(NewerStore):
        Store(path)
    assert path.read_bytes() == before


def test_the_reason_comes_from_the_error_not_from_words_in_the_path(tmp_path: Path) -> None:
    path = tmp_path / "locked full busy" / "llmtui.sqlite3"
    path.parent.mkdir()
    denied = PermissionError(13, "Permission denied", str(path))
    assert problem_of(denied, path).reason == "cannot be read or written (Permission denied)"
    assert problem_of(sqlite3.DatabaseError("file is not a database"), path).reason == (
        "is not an SQLite database (file is not a database)")
