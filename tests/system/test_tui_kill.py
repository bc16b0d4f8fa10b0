"""kill -9 of the TUI mid-stream, in a real terminal (tmux): the next start finds the words."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from llmtui.core.store import Store
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          check=False).stdout


def test_kill_9_of_the_tui_mid_stream_keeps_prompt_and_text(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                            isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    exe = Path(sys.executable).with_name("llmtui")
    socket, name = f"llmtui-kill-{uuid.uuid4().hex[:8]}", "kill"
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "PATH", "HOME")
           if k in os.environ}
    command = " ".join([
        "exec", "env", "-u", "COLUMNS", "-u", "LINES", *(f"{k}={v}" for k, v in env.items()),
        "GROQ_API_KEY=sk-test-123", "TERM=xterm-256color",
        str(exe), "-m", "groq/drip-400", "'count slowly'",
    ])
    _tmux(socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
    try:
        pid = int(_tmux(socket, "display-message", "-p", "-t", name, "#{pane_pid}").strip())
        seen = -1
        deadline = time.monotonic() + 30
        while seen < 60 and time.monotonic() < deadline:
            screen = _tmux(socket, "capture-pane", "-p", "-t", name)
            numbers = [int(n) for n in re.findall(r"\bw(\d+)\b", screen)]
            seen = max(numbers, default=-1)
            time.sleep(0.1)
        assert seen >= 60, "the answer never streamed:\n" + screen
        os.kill(pid, signal.SIGKILL)
    finally:
        _tmux(socket, "kill-server")

    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")  # opens after the crash
    conversation = store.last_conversation_id()
    assert conversation is not None
    prompt, answer = store.messages(conversation)
    assert (prompt.role, prompt.content) == ("user", "count slowly")
    assert answer.status == "interrupted"  # it was 'streaming' when the process died
    words = answer.content.split()
    assert words[:3] == ["w0", "w1", "w2"]
    assert words == [f"w{i}" for i in range(len(words))]  # nothing garbled or out of order
    # Flushed every 0.25 s (~12 tokens at 20 ms each); the screen lags a frame or two.
    assert len(words) >= seen - 25, (len(words), seen)
    assert "w399" not in answer.content
    store.close()
    exported = run_cli("export", "--last", "-o", "-")
    assert exported.returncode == 0, exported.stderr
    assert "count slowly" in exported.stdout and "w0 w1 w2" in exported.stdout
