"""The four ways past a spending limit (reliability-run M2, ux-walkthrough H3), each closed.

Real `llmtui ask` processes against a loopback server speaking OpenAI's format.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.fakes.money_fake import KEYS, config

LIMITS = "[budget]\nper_request_usd = 0.50\ndaily_usd = 1.00\n"


def test_no_max_tokens_still_holds_the_limit(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # Before: nothing set max_tokens, the server wrote 1M tokens at $10/1M: a $10 answer
    # passed a $0.50 per-request and a $1.00 daily limit.
    server, fake = money
    write_config(config(server.url, LIMITS))
    result = run_cli("ask", "--json", "-m", "groq/usage-1000000", "hi", env=KEYS)
    assert result.returncode == 0, result.stderr
    # The limit allows 49,999 tokens; the model's own maximum is unknown, so llmtui asks for
    # no more than every chat model takes.
    assert fake.bodies[0]["max_tokens"] == 16_384
    assert 0 < json.loads(result.stdout)["cost_usd"] <= 0.50
    write_config(config(server.url, "[budget]\nper_request_usd = 0.05\ndaily_usd = 1.00\n"))
    result = run_cli("ask", "--json", "-m", "groq/usage-1000000", "hi", env=KEYS)
    # (0.05 - 10 prompt tokens x $1/1M) / $10 per 1M = 4,999 tokens, and it says so
    assert fake.bodies[1]["max_tokens"] == 4_999
    assert "max_tokens 4999: the most that fits the per-request spending limit ($0.0500 left)" \
        in result.stderr
    assert 0 < json.loads(result.stdout)["cost_usd"] <= 0.05
    spent = json.loads(run_cli("spend", "--json").stdout)
    assert spent["today_usd"] <= 0.55 and spent["in_flight"] == 0


def test_a_prompt_that_alone_passes_the_limit_is_refused(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, fake = money
    write_config(config(server.url, "[budget]\nper_request_usd = 0.00001\n"))
    result = run_cli("ask", "--json", "-m", "groq/usage-1000000", "x" * 100, env=KEYS)
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "budget" and "the prompt alone" in error["message"]
    assert fake.bodies == []  # nothing left the machine
    assert json.loads(run_cli("spend", "--json").stdout)["requests"] == 0


def test_an_unpriced_model_is_refused_under_a_limit(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # Before: with no price, three 1M-token answers went through a $1 daily limit uncounted.
    server, fake = money
    write_config(config(server.url, LIMITS))
    result = run_cli("ask", "-m", "groq/usage-5", "hi", env=KEYS)
    assert result.returncode == 1
    assert 'set [prices."groq/usage-5"] input and output' in result.stderr
    assert "allow_unpriced" in result.stderr
    assert fake.bodies == []
    write_config(config(server.url, LIMITS + "allow_unpriced = true\n"))
    assert run_cli("ask", "-m", "groq/usage-5", "hi", env=KEYS).returncode == 0
    spent = json.loads(run_cli("spend", "--json").stdout)
    assert (spent["requests"], spent["unknown_cost"]) == (1, 1)  # counted, as unknown


def test_two_processes_cannot_both_pass_a_limit_only_one_fits(write_config, money, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Before: two asks a second apart both passed a $1.00 daily limit ($1.20 spent).
    server, fake = money
    write_config(config(server.url, "[budget]\ndaily_usd = 1.00\n"))
    exe = Path(sys.executable).with_name("llmtui")
    import os

    env = {**os.environ, **KEYS}
    args = [str(exe), "ask", "--json", "--max-tokens", "600000", "-m", "groq/slow-usage-600000", "hi"]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1], outs
    refused = next(json.loads(out) for (out, _), p in zip(outs, procs, strict=True) if p.returncode)
    assert refused["error"]["kind"] == "budget"
    assert "daily spending limit $1.00" in refused["error"]["message"]
    assert len(fake.bodies) == 1  # only one request left the machine
    spent = json.loads(run_cli("spend", "--json").stdout)
    assert spent["today_usd"] <= 1.00 and spent["requests"] == 1


def test_negative_usage_cannot_reopen_a_limit(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # Before: usage of -100M tokens stored -$300 and three $10 answers then passed a $1 limit.
    server, _ = money
    write_config(config(server.url, '[prices."groq/usage-negative"]\ninput = 1\noutput = 1\n'))
    result = run_cli("ask", "--json", "-m", "groq/usage-negative", "hi", env=KEYS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cost_usd"] is None or data["cost_usd"] >= 0
    spent = json.loads(run_cli("spend", "--json").stdout)
    assert spent["total_usd"] >= 0


def test_refused_and_keyless_sends_spend_nothing(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # ux-walkthrough M14: a refused or keyless request showed money that was never spent.
    server, _ = money
    write_config(config(server.url, "[budget]\ndaily_usd = 0\n"))
    refused = json.loads(run_cli("ask", "--json", "-m", "groq/usage-1000000", "hi", env=KEYS).stdout)
    assert refused["error"]["kind"] == "budget" and refused["cost_usd"] == 0.0
    keyless = json.loads(run_cli("ask", "--json", "-m", "groq/usage-1000000", "hi",
                                 env={"GROQ_API_KEY": ""}).stdout)
    assert keyless["error"]["kind"] == "auth" and keyless["cost_usd"] == 0.0
    assert json.loads(run_cli("spend", "--json").stdout)["requests"] == 0
