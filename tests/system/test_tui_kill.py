"""kill -9 of the TUI mid-stream, in a real terminal (tmux): the next start finds the words."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from llmtui.core.store import Store
from tests.conftest import run_cli
from tests.system.tmux_tui import tui, wait_dead, wait_for_word

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_kill_9_of_the_tui_mid_stream_keeps_prompt_and_text(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                            isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    with tui("-m", "groq/drip-400", "'count slowly'") as (socket, name, pid):
        seen, _ = wait_for_word(socket, name, 60)
        os.kill(pid, signal.SIGKILL)
        wait_dead(pid, isolated_env / "data" / "llmtui" / "llmtui.sqlite3")

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
    # Its figures so far were saved with the text (flow tester item 17): estimates, marked so.
    assert answer.usage_estimated and answer.output_tokens and answer.output_tokens > 0
    assert answer.ttft_s is not None and answer.duration_s is not None
    store.close()
    exported = run_cli("export", "--last", "-o", "-")
    assert exported.returncode == 0, exported.stderr
    assert "count slowly" in exported.stdout and "w0 w1 w2" in exported.stdout
    assert "? in / ? out" not in exported.stdout and "TTFT –" not in exported.stdout
