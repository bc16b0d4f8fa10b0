"""Hard limits through `llmtui ask`: refused before any byte reaches the provider."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.conftest import run_cli

KEY_ENV = {"GROQ_API_KEY": "sk-test-123"}


def _config(url: str, extra: str = "") -> str:
    return f"""
[providers.groq]
base_url = "{url}/openai/v1"
{extra}

[prices."groq/llama-3.3-70b-versatile"]
input = 0.59
output = 0.79

[prices."groq/pricey"]
input = 1
output = 1000
"""


def test_per_request_limit_refuses_before_sending(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    write_config(_config(server.url) + "\n[budget]\nper_request_usd = 0.001\n")
    # "hi" is 1 prompt token; 10 output tokens x $1000/1M = $0.01 > $0.001
    result = run_cli("ask", "--json", "--max-tokens", "10", "-m", "groq/pricey", "hi", env=KEY_ENV)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["error"]["kind"] == "budget"
    assert "over the per-request spending limit $0.0010" in data["error"]["message"]
    assert server.requests == []  # the fake server saw nothing at all
    # the cheap model: 1 x 0.59 + 10 x 0.79 = 8.49 per 1M, far under the limit
    ok = run_cli("ask", "--json", "--max-tokens", "10", "-m", "groq/llama-3.3-70b-versatile", "hi",
                 env=KEY_ENV)
    assert ok.returncode == 0, ok.stderr
    assert len(server.requests) == 1


def test_daily_limit_reached_refuses_the_next_request(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    write_config(_config(server.url) + "\n[budget]\ndaily_usd = 0.01\n")
    first = run_cli("ask", "--json", "-m", "groq/llama-3.3-70b-versatile", "hi", env=KEY_ENV)
    assert first.returncode == 0, first.stderr
    # 1 x 0.59 + 4 x 0.79 = 3.75 per 1M = $0.00000375 (the fake reports 1 in, 4 out)
    assert Decimal(str(json.loads(first.stdout)["cost_usd"])) == Decimal("0.00000375")
    # the limit lowered below what was spent today: the next request is refused
    write_config(_config(server.url) + "\n[budget]\ndaily_usd = 0.000001\n")
    second = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env=KEY_ENV)
    assert second.returncode == 1
    assert ("llmtui: budget: daily spending limit $0.00000100 reached ($0.00000375 spent today)"
            in second.stderr)
    assert len(server.requests) == 1


def test_provider_monthly_limit(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    write_config(_config(server.url, "monthly_usd = 0.01"))
    assert run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env=KEY_ENV).returncode == 0
    write_config(_config(server.url, "monthly_usd = 0.000002"))
    refused = run_cli("ask", "--json", "-m", "groq/llama-3.3-70b-versatile", "hi", env=KEY_ENV)
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert "groq monthly spending limit $0.00000200 reached" in error["message"]
    assert "raise [providers.groq] monthly_usd in config.toml" in error["remedy"]
    assert len(server.requests) == 1
    # other providers are not limited by groq's budget
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0


def test_free_models_pass_a_spent_budget(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    write_config(_config(server.url) + "\n[budget]\ndaily_usd = 0\n")
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0
    refused = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env=KEY_ENV)
    assert refused.returncode == 1 and "daily spending limit $0 reached" in refused.stderr
    assert server.requests == []
