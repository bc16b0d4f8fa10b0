"""Two `llmtui ask` processes streaming into one store at once: nothing lost, no lock errors.

While both stream, a third connection holds the store's write lock for longer than a flush
interval (as another llmtui busy deleting a big conversation would): the writers must wait
for it (WAL + busy timeout), not fail with "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from llmtui.core.store import Store


def test_two_asks_stream_into_the_same_store_at_once(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                     isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    exe = Path(sys.executable).with_name("llmtui")
    env = {**os.environ, "GROQ_API_KEY": "sk-test-123"}
    # drip-60 streams for ~1.2 s and flushes every 0.25 s, so the writers overlap many times.
    procs = [subprocess.Popen([str(exe), "ask", "-m", "groq/drip-60", f"prompt {name}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for name in ("a", "b")]
    printed = [b"", b""]
    for proc in procs:
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
    deadline = time.monotonic() + 20
    while min(p.count(b" ") for p in printed) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
        printed = [seen + (proc.stdout.read() or b"") for seen, proc in zip(printed, procs, strict=True)]  # type: ignore[union-attr]
    assert min(p.count(b" ") for p in printed) >= 5, "the streams never got going"

    blocker = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the write lock, held across two flush intervals
    time.sleep(0.6)
    blocker.execute("COMMIT")
    blocker.close()

    expected = " ".join(f"w{i}" for i in range(60)) + " "
    for index, proc in enumerate(procs):
        os.set_blocking(proc.stdout.fileno(), True)  # type: ignore[union-attr]
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
        assert b"locked" not in err.lower() and b"Traceback" not in err, err.decode()
        assert (printed[index] + out).decode() == expected + "\n"
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    conversations = store.conversations()
    assert len(conversations) == 2
    got = {}
    for conversation in conversations:
        prompt, answer = store.messages(conversation.id)
        got[prompt.content] = (answer.content, answer.status, answer.output_tokens)
    assert got == {"prompt a": (expected, "done", 60), "prompt b": (expected, "done", 60)}
