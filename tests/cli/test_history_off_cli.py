"""L10 on the command line: `llmtui ask` with a history store it cannot use (damaged page,
random bytes, a directory, a newer schema, no permission, locked by another process)
answers as usual, writes the answer to a 0600 recovery file, says so in ONE warning line
with the repair, and leaves the store file as it was."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.fakes.damaged_stores import BROKEN, damaged_messages_root, locked_by_another_process, snapshot


def store_file(home: Path) -> Path:
    path = home / "data" / "llmtui" / "llmtui.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def check_answer_kept(stderr: str, stdout: str, prompt: str) -> str:
    """The one warning line; the recovery file it names holds the printed answer and the
    prompt that asked for it."""
    assert "Traceback" not in stderr, stderr
    (line,) = [x for x in stderr.splitlines() if x.startswith("llmtui: warning: history is off")]
    found = re.search(r"this answer was written to (\S+\.md)", line)
    assert found, line
    recovered = Path(found.group(1))
    assert stat.S_IMODE(recovered.stat().st_mode) == 0o600
    assert stdout.strip() and stdout.strip() in recovered.read_text()
    assert f"## Prompt\n\n{prompt}\n" in recovered.read_text()
    return line


# A damaged page that ask never reads is not in its way: it answers and saves as usual
# (tests/reliability/test_damaged_store.py); the TUI reads old prompts at start and meets it.
@pytest.mark.parametrize("broken", [name for name in BROKEN if name != "damaged-page"])
def test_ask_answers_and_keeps_the_answer_without_history(broken: str, isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    reason = BROKEN[broken](db_file)
    before = snapshot(db_file)
    result = run_cli("ask", "-m", "demo/simulated-fast", "hello without history")
    assert result.returncode == 0, result.stderr
    line = check_answer_kept(result.stderr, result.stdout, "hello without history")
    assert f"{db_file} {reason}" in line and "To repair:" in line
    assert snapshot(db_file) == before


def test_ask_that_meets_the_damage_mid_write_leaves_the_file_byte_identical(isolated_env: Path) -> None:
    """The new conversation's row went in before the prompt's met the damaged page: the
    warning said nothing is saved, yet the file changed. Both writes are one transaction."""
    db_file = store_file(isolated_env)
    reason = damaged_messages_root(db_file)
    before, files = hashlib.md5(db_file.read_bytes()).hexdigest(), snapshot(db_file)
    result = run_cli("ask", "-m", "demo/simulated-fast", "hello on a damaged page")
    assert result.returncode == 0, result.stderr
    line = check_answer_kept(result.stderr, result.stdout, "hello on a damaged page")
    assert f"{db_file} {reason}" in line
    recovered = Path(re.search(r"written to (\S+\.md)", line).group(1))  # type: ignore[union-attr]
    assert f"why: history is off: {db_file} {reason}\n" in recovered.read_text()  # the path named
    assert hashlib.md5(db_file.read_bytes()).hexdigest() == before and snapshot(db_file) == files


def test_ask_while_another_process_holds_the_lock(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    with locked_by_another_process(db_file):
        result = run_cli("ask", "-m", "demo/simulated-fast", "while it is locked")
    assert result.returncode == 0, result.stderr
    line = check_answer_kept(result.stderr, result.stdout, "while it is locked")
    assert "is locked by another process (database is locked)" in line and "fuser" in line


@pytest.fixture
def unreadable_store() -> Iterator[tuple[Path, list[str]]]:
    """A store file nobody but its owner (root, here) may read, and the command prefix that
    runs llmtui as a user who is not its owner (as root: setpriv to nobody)."""
    scratch = Path(tempfile.mkdtemp(prefix="llmtui-unreadable-", dir="/tmp"))
    try:
        scratch.chmod(0o755)
        data = scratch / "data" / "llmtui"
        data.mkdir(parents=True)
        for d in (scratch / "data", data):
            d.chmod(0o777)  # the recovery file may go beside the store
        db_file = data / "llmtui.sqlite3"
        BROKEN["newer-schema"].__globals__["Store"](db_file).close()
        db_file.chmod(0)
        prefix: list[str] = []
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: a mode-000 file stays readable")
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        yield db_file, prefix
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_ask_with_an_unreadable_store(unreadable_store: tuple[Path, list[str]]) -> None:
    import subprocess
    import sys

    db_file, prefix = unreadable_store
    home = db_file.parents[2]
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg"),
           "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
           "HOME": str(home)}
    exe = Path(sys.executable).with_name("llmtui")
    result = subprocess.run([*prefix, str(exe), "ask", "-m", "demo/simulated-fast", "no access"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    line = check_answer_kept(result.stderr, result.stdout, "no access")
    assert f"{db_file} cannot be read or written" in line and f"chmod 600 {db_file}" in line
    assert stat.S_IMODE(db_file.stat().st_mode) == 0  # left as it was


def test_doctor_names_the_damage_and_the_repair(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    BROKEN["damaged-page"](db_file)
    before = snapshot(db_file)
    result = run_cli("doctor")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    rows = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
            for line in result.stdout.splitlines() if line.startswith("  store ")}
    assert rows["store problem"].startswith(f"{db_file} is damaged (")
    assert rows["store repair"].startswith("close llmtui, then llmtui doctor --repair-store")
    assert snapshot(db_file) == before


def test_doctor_repair_store_keeps_every_readable_row(isolated_env: Path) -> None:
    """The repair the notices point to, end to end: the damaged file is kept beside the new
    store; every message not on the damaged page is back, found by search too; the TUI and
    ask then use it with history on."""
    import sqlite3

    db_file = store_file(isolated_env)
    BROKEN["damaged-page"](db_file)
    damaged = db_file.read_bytes()
    result = run_cli("doctor", "--repair-store")
    assert result.returncode == 0, result.stderr
    assert f"repaired {db_file}: kept 1 conversations, " in result.stdout
    assert "messages met the damage: the rows on those pages are lost" in result.stdout
    (aside,) = db_file.parent.glob("llmtui.sqlite3.damaged-*[0-9]")
    assert aside.read_bytes() == damaged
    assert run_cli("doctor").stdout.count("store problem") == 0
    db = sqlite3.connect(db_file)
    kept = [c for (c,) in db.execute("SELECT content FROM messages ORDER BY id")]
    assert 30 <= len(kept) < 40 and kept[0].startswith("prompt 0 ") and kept[-1].startswith("prompt 39 ")
    assert db.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'prompt'").fetchone()[0] == len(kept)
    db.close()
    asked = run_cli("ask", "-m", "demo/simulated-fast", "after the repair")
    assert asked.returncode == 0 and "warning" not in asked.stderr, asked.stderr
    assert run_cli("doctor", "--repair-store").stdout.endswith("nothing to repair\n")


def test_compare_without_history_writes_the_run_to_a_recovery_file(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    reason = BROKEN["random-bytes"](db_file)
    before = snapshot(db_file)
    result = run_cli("compare", "-m", "demo/simulated-fast", "-m", "demo/simulated", "--json",
                     "two answers, no history")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("llmtui: warning:")]
    assert f"history is off: {db_file} {reason}" in line and "saved as compare run" not in result.stderr
    found = re.search(r"the answers were written to (\S+\.md)", line)
    assert found, line
    recovered = Path(found.group(1))
    assert stat.S_IMODE(recovered.stat().st_mode) == 0o600
    written = recovered.read_text()
    for answer in json.loads(result.stdout)["results"]:
        assert answer["model"] in written and answer["text"].splitlines()[0] in written
    assert snapshot(db_file) == before
