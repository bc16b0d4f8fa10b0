"""The TUI in a real terminal (tmux, its own socket), for the kill -9 tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.core.writer_procs import wait_released


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          check=False).stdout


@contextmanager
def tui(*args: str, width: int = 120) -> Iterator[tuple[str, str, int]]:
    """`llmtui ARGS` in a detached tmux session with this test's env and the fake's key;
    yields (socket, session, pid); the server is killed at the end."""
    exe = Path(sys.executable).with_name("llmtui")
    socket, name = f"llmtui-tui-{uuid.uuid4().hex[:8]}", "tui"
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "PATH", "HOME")
           if k in os.environ}
    command = " ".join([
        "exec", "env", "-u", "COLUMNS", "-u", "LINES", *(f"{k}={v}" for k, v in env.items()),
        "GROQ_API_KEY=sk-test-123", "TERM=xterm-256color", str(exe), *args,
    ])
    tmux(socket, "new-session", "-d", "-s", name, "-x", str(width), "-y", "40", command)
    try:
        yield socket, name, int(tmux(socket, "display-message", "-p", "-t", name, "#{pane_pid}").strip())
    finally:
        tmux(socket, "kill-server")


def wait_dead(pid: int, store: Path | None = None, timeout: float = 10) -> None:
    """Wait until a process sent SIGKILL has died (gone, or a zombie whose every thread is dead)
    and, given its `store`, until the kernel has released its writer's lock there (a store
    opened sooner finds the writer alive: tests/core/writer_procs.wait_released)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
            states = [Path(f"/proc/{pid}/task/{t}/stat").read_text().rsplit(")", 1)[1].split()[0]
                      for t in tasks]
        except (OSError, IndexError):
            states = []
        if all(state in ("Z", "X") for state in states):
            break
        time.sleep(0.02)
    if store is not None:
        wait_released(store, pid, max(0.1, deadline - time.monotonic()))


def wait_for_word(socket: str, name: str, n: int, timeout: float = 30) -> tuple[int, str]:
    """Wait until the drip answer shows w<n> (or later); the last word seen, and the screen."""
    seen, screen = -1, ""
    deadline = time.monotonic() + timeout
    while seen < n and time.monotonic() < deadline:
        screen = tmux(socket, "capture-pane", "-p", "-t", name)
        seen = max((int(x) for x in re.findall(r"\bw(\d+)\b", screen)), default=-1)
        time.sleep(0.1)
    assert seen >= n, "the answer never streamed:\n" + screen
    return seen, screen
