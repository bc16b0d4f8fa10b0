"""The fallback recovery folder lives in the shared temp dir (tester item 5): a name someone
else made first (a symlink, a 0777 folder) is never written into; a fresh private folder is."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from llmtui.core import recovery


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data dir cannot take a file (a file stands where its folder should be), so the
    answer goes to the temp dir, here a folder of the test's."""
    blocked = tmp_path / "data"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared


def fallback(temp_dir: Path) -> Path:
    return temp_dir / f"llmtui-{os.getuid()}-recovered"


def saved_in(temp_dir: Path) -> Path:
    where = recovery.save_answer("the answer", model="a/b", why="disk full")
    assert where is not None and where.read_text().endswith("the answer\n")
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    folder = where.parent
    assert not folder.is_symlink() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.parent == temp_dir
    return folder


def test_the_fallback_folder_is_made_private(temp_dir: Path) -> None:
    assert saved_in(temp_dir) == fallback(temp_dir)


def test_a_symlink_planted_under_the_name_is_not_followed(temp_dir: Path) -> None:
    elsewhere = temp_dir / "elsewhere"
    elsewhere.mkdir()
    fallback(temp_dir).symlink_to(elsewhere)
    folder = saved_in(temp_dir)
    assert folder != fallback(temp_dir) and list(elsewhere.iterdir()) == []


def test_a_folder_others_may_write_to_is_not_used(temp_dir: Path) -> None:
    shared = fallback(temp_dir)
    shared.mkdir()
    shared.chmod(0o777)
    folder = saved_in(temp_dir)
    assert folder != shared and list(shared.iterdir()) == []
