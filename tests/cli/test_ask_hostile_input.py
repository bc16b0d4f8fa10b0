"""`llmtui ask` with bad bytes in and hostile text out (issue 14 L1, L8, M1), in subprocesses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.fakes.server import FakeServer, Response

KEY = "sk-test-123"
CANARY = "gsk_SECRETcanary1234567890abcdef"


def _stored_prompts(isolated_env: Path) -> list[str]:
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    try:
        return [r[0] for r in db.execute("SELECT content FROM messages WHERE role = 'user'")]
    finally:
        db.close()


def test_invalid_utf8_prompt_from_stdin_or_argv_is_asked_not_a_traceback(isolated_env: Path) -> None:
    exe = Path(sys.executable).with_name("llmtui")
    piped = subprocess.run([str(exe), "ask", "-m", "demo/simulated-fast", "-"],
                           input=b"hello \xff\xfe world\n", capture_output=True, timeout=60,
                           env={**os.environ, "LANG": "C.UTF-8"})
    argv = run_cli("ask", "-m", "demo/simulated-fast", os.fsdecode(b"argv \xff bytes"))
    assert piped.returncode == 0, piped.stderr
    assert argv.returncode == 0, argv.stderr
    assert b"Traceback" not in piped.stderr and "Traceback" not in argv.stderr
    assert _stored_prompts(isolated_env) == ["hello \ufffd\ufffd world\n", "argv \ufffd bytes"]


def test_ask_json_escapes_c1_and_del(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    result = run_cli("ask", "--json", "-m", "groq/escapes", "hi", env={"GROQ_API_KEY": KEY})
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x9b\x1b\x07\x7f")
    assert "\\u009b2K" in result.stdout
    assert "\x9b2K" in json.loads(result.stdout)["text"]  # the JSON still holds the exact text


def test_keys_check_and_models_mask_an_echoed_key(write_config) -> None:  # type: ignore[no-untyped-def]
    """M1: a server that echoes the Authorization header (and escapes) in a 401."""
    def echo(request):  # type: ignore[no-untyped-def]
        said = f"Invalid credentials: {request.headers.get('authorization')}\x1b]52;c;eA==\x07"
        return Response.json_body({"error": {"message": said}}, 401)

    server = FakeServer(echo).start()
    try:
        write_config(f'[providers.groq]\nbase_url = "{server.url}/openai/v1"\n')
        env = {"GROQ_API_KEY": CANARY}
        check = run_cli("keys", "check", "groq", env=env)
        models = run_cli("models", "--provider", "groq", "--refresh", env=env)
    finally:
        server.stop()
    for result in (check, models):
        out = result.stdout + result.stderr
        assert CANARY not in out and "\x1b" not in out and "\x07" not in out, out
        assert "gsk_…cdef" in out and "Traceback" not in out, out


def test_every_json_output_escapes_what_a_terminal_would_act_on() -> None:
    """L8 beyond `ask --json`: history, leaderboard, models, spend, paths and doctor print JSON
    too, and a title or text may hold C1 controls or bidi overrides the user pasted."""
    hostile = "title \x9b2J \u202e gnp.exe \x7f end"
    asked = run_cli("ask", "-m", "demo/simulated-fast", hostile)
    assert asked.returncode == 0, asked.stderr
    outputs = {cmd: run_cli(*cmd.split(), "--json")
               for cmd in ("history", "leaderboard", "spend", "paths", "doctor",
                           "models --provider demo")}
    for cmd, result in outputs.items():
        assert result.returncode == 0, (cmd, result.stderr)
        assert not any(ch in result.stdout for ch in "\x9b\u202e\x7f"), cmd
        json.loads(result.stdout)
    assert "\\u009b2J \\u202e" in outputs["history"].stdout
    assert "\u202e" in json.dumps(json.loads(outputs["history"].stdout), ensure_ascii=False)
