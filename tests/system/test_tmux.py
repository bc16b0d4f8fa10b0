"""As a person would: launch `llmtui --compare …` in a real terminal (tmux), type, read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          check=False).stdout


def _wait_for(socket: str, name: str, predicate, timeout: float) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(socket, "capture-pane", "-p", "-t", name)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError("screen never got there; last screen:\n" + screen)


def test_compare_in_a_real_terminal(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("llmtui")
    socket, name = f"llmtui-test-{uuid.uuid4().hex[:8]}", "compare"
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "PATH", "HOME")
           if k in os.environ}
    command = " ".join([
        "env", "-u", "COLUMNS", "-u", "LINES",  # else the app sizes itself from them, not the pane
        *(f"{k}={v}" for k, v in env.items()), "TERM=xterm-256color",
        str(exe), "--compare", "demo/simulated", "demo/simulated-fast",
    ])
    _tmux(socket, "new-session", "-d", "-s", name, "-x", "160", "-y", "48", command)
    try:
        _wait_for(socket, name, lambda s: "compare" in s and "demo/simulated-fast" in s, 20)
        time.sleep(0.5)  # let the app take keyboard input
        _tmux(socket, "send-keys", "-t", name, "-l", "what is a monad")
        _tmux(socket, "send-keys", "-t", name, "Enter")
        screen = _wait_for(socket, name, lambda s: s.count("will do better") >= 2, 30)
        screen = _wait_for(socket, name, lambda s: "faster" in s, 10)
        # side by side: both panes' titles sit on one row, and both answers' ends show
        assert any("│ demo/simulated " in line and "│ demo/simulated-fast " in line
                   for line in screen.splitlines()), screen
        assert screen.count("will do better") >= 2
    finally:
        _tmux(socket, "kill-server")
