"""`llmtui ask` ends an error line with the command or setting that fixes it."""

from __future__ import annotations

import json

from tests.conftest import run_cli

GROQ = '[providers.groq]\nbase_url = "{url}/openai/v1"\n[network]\nmax_retries = 0\n'


def test_missing_key_names_the_command_to_run(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ.format(url=fake_url))
    result = run_cli("ask", "-m", "groq/ok", "hi", env={"GROQ_API_KEY": ""})
    assert result.returncode == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("llmtui: auth: no key for groq — run `llmtui keys set groq`")
    assert "GROQ_API_KEY" in line and "ctrl+" not in line and "press" not in line


def test_budget_refusal_json_carries_the_remedy(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(GROQ.format(url=fake_url) + "[budget]\ndaily_usd = 0\n")
    result = run_cli("ask", "--json", "-m", "groq/ok", "hi", env={"GROQ_API_KEY": "k"})
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "budget" and "raise" not in error["message"]
    assert error["remedy"] == "raise [budget] daily_usd in config.toml (or lower --max-tokens)"
    assert json.loads(result.stdout)["cost_usd"] == 0.0
