"""kill -9 mid-stream loses at most the last flush; the next start opens the store cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from llmtui.core.store import Store
from tests.core.writer_procs import wait_released

CONFIG = '[providers.groq]\nbase_url = "{url}/openai/v1"\n'


def test_kill_9_during_ask_keeps_prompt_and_streamed_text(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                           isolated_env: Path) -> None:
    write_config(CONFIG.format(url=fake_url))
    exe = Path(sys.executable).with_name("llmtui")
    proc = subprocess.Popen(
        [str(exe), "ask", "-m", "groq/drip-400", "count slowly"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "GROQ_API_KEY": "sk-test-123"},
    )
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    printed = b""
    deadline = time.monotonic() + 20
    while printed.count(b" ") < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
        printed += proc.stdout.read() or b""
    time.sleep(0.1)
    printed += proc.stdout.read() or b""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    wait_released(isolated_env / "data" / "llmtui" / "llmtui.sqlite3", proc.pid)
    printed += proc.stdout.read() or b""
    assert printed.count(b" ") >= 40, "the stream never got going"

    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    conversation = store.last_conversation_id()
    assert conversation is not None
    prompt, answer = store.messages(conversation)
    assert (prompt.role, prompt.content) == ("user", "count slowly")
    assert answer.status == "interrupted"
    text = printed.decode()
    # Everything up to the last flush (every 0.25 s, ~12 tokens here) is on disk.
    assert answer.content and text.startswith(answer.content)
    assert len(answer.content.split()) >= len(text.split()) - 20
