"""`--debug` / `LLMTUI_LOG=debug`: a log file in the state dir with request facts, never bodies or keys."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from llmtui.core import debuglog
from tests.cli.test_ask import GROQ_CONFIG
from tests.conftest import run_cli

KEY = "sk-test-123"


def _log(isolated_env: Path) -> Path:
    (found,) = (isolated_env / "state").rglob("llmtui.log")
    return found


def test_debug_logs_status_timing_and_rate_limits_but_no_body_or_key(
        isolated_env: Path, write_config, fake_url: str, openai_server) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    result = run_cli("--debug", "ask", "-m", "groq/llama-3.3-70b-versatile", "my secret question",
                     env={"GROQ_API_KEY": KEY})
    assert result.returncode == 0, result.stderr
    log = _log(isolated_env)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "llmtui" in text and "started: ask" in text
    assert "→ POST 127.0.0.1/openai/v1/chat/completions" in text
    assert "← 200 127.0.0.1/openai/v1/chat/completions" in text and "headers after" in text
    assert "x-ratelimit-remaining-requests=14399" in text
    assert KEY not in text and "my secret question" not in text and "Hello, world!" not in text


def test_env_var_turns_it_on_and_it_is_off_by_default(
        isolated_env: Path, write_config, fake_url: str, openai_server) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ_CONFIG.format(url=fake_url))
    args = ("ask", "-m", "groq/llama-3.3-70b-versatile", "hi")
    assert run_cli(*args, env={"GROQ_API_KEY": KEY}).returncode == 0
    assert not list((isolated_env / "state").rglob("llmtui.log"))
    assert run_cli(*args, env={"GROQ_API_KEY": KEY, "LLMTUI_LOG": "debug"}).returncode == 0
    assert "← 200" in _log(isolated_env).read_text()


def test_a_key_echoed_in_a_logged_header_is_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert debuglog.setup() is None  # off unless asked
    monkeypatch.setenv("LLMTUI_LOG", "debug")
    logger = debuglog.setup()
    assert logger is not None
    try:
        debuglog.remember_secret("gsk_abcdefghijkl9f2a")
        logging.getLogger("llmtui.http").info("← 401 x-request-id=gsk_abcdefghijkl9f2a")
        for handler in logger.handlers:
            handler.flush()
        text = _log(tmp_path).read_text()
        assert "gsk_abcdefghijkl9f2a" not in text and "gsk_…9f2a" in text
    finally:
        for handler in list(logger.handlers):
            handler.close()
            logger.removeHandler(handler)
