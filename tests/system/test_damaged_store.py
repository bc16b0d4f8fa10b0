"""L10: one damaged page of the messages table. Opening the store no longer reads every row (its
crash recovery uses a partial index), so `ask` still answers and saves; a command that needs the
damaged rows says so in one line, with how to repair, instead of a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_cli
from tests.fakes.damaged_stores import damaged_page


def test_ask_still_answers_and_a_reader_says_the_store_is_damaged(isolated_env: Path) -> None:
    db_file = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    db_file.parent.mkdir(parents=True)
    damaged_page(db_file)
    asked = run_cli("ask", "-m", "demo/simulated-fast", "after the damage")
    reader = run_cli("history", "show", "1")  # reads every message, the damaged page too
    spend = run_cli("spend")  # the ledger has its own pages: spend still adds up
    assert asked.returncode == 0 and "Traceback" not in asked.stderr, asked.stderr
    db = sqlite3.connect(db_file)
    # the newest rows, found by rowid without reading the damaged page
    saved = db.execute("SELECT role, content, status FROM messages ORDER BY id DESC LIMIT 2").fetchall()
    db.close()
    assert saved[1] == ("user", "after the damage", "done")
    assert saved[0][0] == "assistant" and saved[0][2] == "done" and "demo" in saved[0][1]
    assert spend.returncode == 0 and "1 request" in spend.stdout, spend.stderr
    assert reader.returncode == 2 and "Traceback" not in reader.stderr
    (line,) = reader.stderr.splitlines()
    assert "the store is damaged (database disk image is malformed)" in line
    assert "llmtui doctor --repair-store" in line
