"""Everything llmtui writes is readable by the user only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmtui.cli import main
from llmtui.core.settings import save_settings


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the common default: new files 0644, dirs 0755
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_settings_and_exports_are_user_only(loose_umask, isolated_env: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["ask", "-m", "demo/simulated-fast", "hi"]) == 0
    save_settings({"theme": "llmtui-dark"})
    assert main(["export", "--last"]) == 0
    assert main(["export", "--last", "-o", str(tmp_path / "chosen.md")]) == 0
    capsys.readouterr()

    data_dir = isolated_env / "data" / "llmtui"
    config_dir = isolated_env / "config" / "llmtui"
    assert mode(data_dir) == 0o700
    assert mode(config_dir) == 0o700
    store_files = list(data_dir.glob("llmtui.sqlite3*"))
    assert {p.name for p in store_files} >= {"llmtui.sqlite3", "llmtui.sqlite3-wal"}
    for path in store_files:  # files 0600; the writers' lock folder beside the store 0700
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert mode(config_dir / "settings.toml") == 0o600
    exports = list(tmp_path.glob("llmtui-*.md")) + [tmp_path / "chosen.md"]
    assert len(exports) == 2
    for path in exports:
        assert mode(path) == 0o600, path
    # nothing anywhere in llmtui's own tree is open to group or others
    for path in [*data_dir.rglob("*"), *config_dir.rglob("*")]:
        assert not mode(path) & 0o077, path
