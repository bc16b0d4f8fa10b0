"""Two `llmtui ask` processes streaming into one store at once: nothing lost, no lock errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from llmtui.store import Store


def test_two_asks_stream_into_the_same_store_at_once(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                     isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    exe = Path(sys.executable).with_name("llmtui")
    env = {**os.environ, "GROQ_API_KEY": "sk-test-123"}
    # drip-60 streams for ~1.2 s, flushing every 0.25 s, so the two writers overlap many times.
    procs = [subprocess.Popen([str(exe), "ask", "-m", "groq/drip-60", f"prompt {name}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for name in ("a", "b")]
    results = [p.communicate(timeout=60) for p in procs]
    expected = " ".join(f"w{i}" for i in range(60)) + " "
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
        assert out == expected + "\n"
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    conversations = store.conversations()
    assert len(conversations) == 2
    got = {}
    for conversation in conversations:
        prompt, answer = store.messages(conversation.id)
        got[prompt.content] = (answer.content, answer.status, answer.output_tokens)
    assert got == {"prompt a": (expected, "done", 60), "prompt b": (expected, "done", 60)}
