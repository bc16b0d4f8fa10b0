"""`llmtui ask` end to end: the console script in a subprocess against loopback servers."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import run_cli

GROQ_CONFIG = """
# my hand-written config; llmtui must never rewrite this file
[providers.groq]
base_url = "{url}/openai/v1"

[prices."groq/llama-3.3-70b-versatile"]
input = 0.59   # USD per 1M tokens
output = 0.79
"""


def test_demo_streams_with_no_keys_and_no_config() -> None:
    result = run_cli("ask", "-m", "demo/simulated-fast", "hi")
    assert result.returncode == 0, result.stderr
    assert "simulated answer" in result.stdout
    assert "demo/simulated-fast" in result.stderr and "TTFT" in result.stderr


def test_default_model_without_keys_is_offline() -> None:
    result = run_cli("ask", "--json", "--max-tokens", "5", "hello")
    data = json.loads(result.stdout)
    assert data["model"] in ("demo/simulated", "local/smollm2")
    assert data["text"]


def test_groq_through_loopback_json(write_config, fake_url: str, openai_server) -> None:  # type: ignore[no-untyped-def]
    server, _ = openai_server
    write_config(GROQ_CONFIG.format(url=fake_url))
    before = len(server.requests)
    result = run_cli("ask", "--json", "-m", "groq/llama-3.3-70b-versatile", "hi",
                     env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == "Hello, world!"
    assert data["usage"] == {"input_tokens": 1, "output_tokens": 4, "cached_input_tokens": 0,
                             "estimated": False, "reasoning_tokens": 0,
                             "reasoning_estimated": False}
    # 1 * 0.59/1M + 4 * 0.79/1M
    assert Decimal(str(data["cost_usd"])) == Decimal("0.00000375")
    assert data["finish_reason"] == "stop"
    assert data["error"] is None and data["interrupted"] is False
    assert data["rate_limit"]["remaining_requests"] == 14399
    assert data["ttft_s"] is not None and data["ttft_s"] >= 0
    request = server.requests[before]
    assert request.path == "/openai/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test-123"
    body = request.json()
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["messages"] == [{"role": "user", "content": "hi"}]


def test_text_output_and_stdin_prompt(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "-", input="hello from stdin\n",
                     env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, world!\n"
    assert "in 5 · out 4 · ≈$0.0000" in result.stderr


def test_provider_error_exit_1_and_stored(write_config, fake_url: str, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("ask", "--json", "-m", "groq/drop", "hi", env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["text"] == "Partial answer"
    assert data["interrupted"] is True
    assert data["error"]["kind"] == "network"
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    rows = db.execute("SELECT role, content, status FROM messages ORDER BY id").fetchall()
    assert rows == [("user", "hi", "done"), ("assistant", "Partial answer", "interrupted")]


def test_wrong_key_names_the_source(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi",
                     env={"GROQ_API_KEY": "gsk_wrongwrongwrong9f2a"})
    assert result.returncode == 1
    assert "auth" in result.stderr and "env GROQ_API_KEY" in result.stderr
    assert "gsk_wrongwrongwrong9f2a" not in result.stderr + result.stdout


def test_missing_key_is_a_clear_line() -> None:
    result = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi")
    assert result.returncode == 1
    assert "no key for groq" in result.stderr and "GROQ_API_KEY" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-m", "nomodel", "hi"], "PROVIDER/MODEL"),
        (["-m", "nosuch/model", "hi"], "unknown provider 'nosuch'"),
        (["-m", "demo/simulated", ""], "prompt is empty"),
    ],
)
def test_usage_errors_exit_2(args: list[str], needle: str) -> None:
    result = run_cli("ask", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_config_exit_2_names_file_and_line(write_config) -> None:  # type: ignore[no-untyped-def]
    path = write_config("[defaults]\nmodel = \"demo/simulated\"\ntemperature = \"hot\"\n")
    result = run_cli("ask", "hi")
    assert result.returncode == 2
    assert f"{path}:3: [defaults].temperature: temperature must be a number from 0 to 2, got 'hot'" in result.stderr
    assert "Traceback" not in result.stderr


def test_escape_sequences_are_made_harmless_unless_raw(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    env = {"GROQ_API_KEY": "sk-test-123"}
    clean = run_cli("ask", "-m", "groq/escapes", "hi", env=env)
    assert clean.returncode == 0
    assert "\x1b" not in clean.stdout and "\x07" not in clean.stdout
    assert "safe␛[2J␛]52;c;ZXZpbA==␇" in clean.stdout
    raw = run_cli("ask", "--raw", "-m", "groq/escapes", "hi", env=env)
    assert "\x1b]52;c;ZXZpbA==\x07" in raw.stdout
    as_json = run_cli("ask", "--json", "-m", "groq/escapes", "hi", env=env)
    assert "\x1b" not in as_json.stdout and json.loads(as_json.stdout)["text"].startswith("safe\x1b[2J")


def test_an_emoji_family_or_a_crlf_cut_between_deltas_prints_whole(  # type: ignore[no-untyped-def]
        write_config, fake_url: str) -> None:
    """Each delta was cleaned on its own: 👨<U+200D>👩 and a stray ␍ (tester items 5, 6)."""
    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("ask", "-m", "groq/zwj-cut", "hi", env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "family \U0001f468\u200d\U0001f469\u200d\U0001f467 end z\nw done\n"


def test_the_system_prompt_is_sent_and_kept_with_the_conversation(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, openai_server, isolated_env: Path) -> None:
    from llmtui.core.store import Store

    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("ask", "-s", "Answer in French.", "-m", "groq/llama-3.3-70b-versatile", "hi",
                     env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    body = openai_server[0].requests[-1].json()
    assert body["messages"][0] == {"role": "system", "content": "Answer in French."}
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    conversation = store.last_conversation_id()
    assert conversation is not None and store.system_prompt(conversation) == "Answer in French."


def test_a_piped_prompt_needs_no_dash() -> None:
    result = run_cli("ask", "-m", "demo/simulated-fast", input="hello from a pipe\n")
    assert result.returncode == 0, result.stderr
    assert "simulated answer" in result.stdout


@pytest.mark.parametrize(("flag", "value", "says"), [
    ("--temperature", "9", "from 0 to 2, got '9'"), ("--temperature", "nan", "from 0 to 2"),
    ("--temperature", "-0.1", "from 0 to 2"), ("--temperature", "warm", "a number from 0 to 2"),
    ("--max-tokens", "0", "a whole number from 1 to"),
])
def test_sampling_flags_are_checked_before_anything_is_sent(flag: str, value: str, says: str) -> None:
    result = run_cli("ask", "-m", "demo/simulated-fast", flag, value, "hi")
    assert result.returncode == 2 and says in result.stderr and flag in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_reader_that_leaves_mid_answer_ends_it_quietly(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                          isolated_env: Path) -> None:
    """`llmtui ask … | head -c 200` while a long answer streams: exit 141 with nothing on stderr,
    the text so far kept and marked interrupted. The stream used to be left open for the event
    loop's shutdown, which closed its layers side by side: tracebacks ("aclose(): asynchronous
    generator is already running", "Executor shutdown has been called") in some runs, so
    several runs here."""
    import os
    import subprocess
    import sys

    write_config(GROQ_CONFIG.format(url=fake_url))
    exe = Path(sys.executable).with_name("llmtui")
    for run in range(4):
        proc = subprocess.Popen([str(exe), "ask", "-m", "groq/flood-400-5", f"run {run}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "GROQ_API_KEY": "sk-test-123"})
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(200)  # then the reader leaves, as `head -c 200` does
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 141, stderr
        assert stderr == ""
        assert first.startswith(b"word word")
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    rows = db.execute("SELECT status, length(content) FROM messages WHERE role = 'assistant'").fetchall()
    assert len(rows) == 4 and all(status == "interrupted" and 200 <= size < 400 * 25_000
                                  for status, size in rows), rows
