"""No-history mode as a user sees it, in a real terminal (tmux) at 80 and 160 columns: the
banner is on screen, an answer streams, and kill -9 mid-answer leaves the damaged store
exactly as it was (nothing was written to it, so nothing half-written either)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from tests.fakes.damaged_stores import damaged_page, snapshot
from tests.system.tmux_tui import tui, wait_for_word

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.parametrize("width", [80, 160])
def test_banner_shows_and_kill_9_mid_answer_leaves_the_store_as_it_was(  # type: ignore[no-untyped-def]
        width: int, write_config, fake_url: str, isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    db_file = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    db_file.parent.mkdir(parents=True)
    damaged_page(db_file)
    before = snapshot(db_file)
    with tui("-m", "groq/drip-400", "'count slowly'", width=width) as (socket, name, pid):
        _, screen = wait_for_word(socket, name, 40, timeout=60)
        os.kill(pid, signal.SIGKILL)
    flat = " ".join(screen.split())
    assert "⚠ No history: llmtui.sqlite3 is damaged (database disk image is malformed)" in flat, screen
    assert snapshot(db_file) == before
