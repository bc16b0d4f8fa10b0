"""M4 with a real full disk: the store lives on a 400 KiB tmpfs filled to the last byte.
`llmtui ask` answers, keeps the answer in a 0600 recovery file (the data dir is on another
disk), says so in one line that names the full disk (not "damaged"), and exits 0. Needs root
to mount (skipped otherwise)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_history_off_cli import check_answer_kept
from tests.conftest import run_cli


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_ask_on_a_full_disk_keeps_the_answer(full_disk: Path) -> None:
    db_file = full_disk / "llmtui.sqlite3"
    env = {"LLMTUI_DB": str(db_file)}
    first = run_cli("ask", "-m", "demo/simulated-fast", "while there is room", env=env)
    assert first.returncode == 0 and "warning" not in first.stderr, first.stderr
    fd = os.open(full_disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # every byte left
        while os.write(fd, b"\0" * 1024):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    result = run_cli("ask", "-m", "demo/simulated-fast", "on a full disk", env=env)
    assert result.returncode == 0, result.stderr
    line = check_answer_kept(result.stderr, result.stdout, "on a full disk")
    assert f"{db_file} cannot be written: its disk is full" in line
    assert f"df -h {full_disk}" in line
