"""`history show` and `export` while another llmtui streams an answer (tester longans item 4):
the answer is shown as still streaming, the text so far, never as stopped by a crash."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.core.writer_procs import streamer


def test_history_show_and_export_of_an_answer_another_llmtui_still_streams(
        isolated_env: Path) -> None:
    proc, _ = streamer(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    try:
        shown = run_cli("history", "show", "1")
        exported = run_cli("export", "--last", "--format", "json", "-o", "-")
        out, _ = proc.communicate("finish\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert shown.returncode == 0, shown.stderr
    assert "the text so far" in shown.stdout
    assert "> **streaming** — still streaming in another llmtui" in shown.stdout
    assert "interrupted" not in shown.stdout and "stopped" not in shown.stdout
    assert exported.returncode == 0, exported.stderr
    (message,) = [m for m in json.loads(exported.stdout)["messages"] if m["role"] == "assistant"]
    assert message["status"] == "streaming"
    assert out.strip() == "done"  # and the writer finished it, as it would have anyway
    assert "interrupted" not in run_cli("history", "show", "1").stdout
