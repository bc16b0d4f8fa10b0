"""`llmtui compare` end to end: the console script in a subprocess against a loopback server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from llmtui.core.stats import percentile
from tests.conftest import run_cli

CONFIG = """
[providers.groq]
base_url = "{url}/openai/v1"

[network]
max_retries = 0

[prices."groq/llama-3.3-70b-versatile"]
input = 0.59
output = 0.79
"""
KEY = {"GROQ_API_KEY": "sk-test-123"}
OK, DRIP, BROKEN = "groq/llama-3.3-70b-versatile", "groq/drip-12", "groq/drop"
RESULT_KEYS = {"model", "run", "prompt_id", "text", "ttft_s", "tokens_per_s", "usage",
               "cost_usd", "error", "reasoning", "reasoning_redacted", "answer_ttft_s", "thinking_s"}


@pytest.fixture
def groq(write_config, fake_url: str) -> str:  # type: ignore[no-untyped-def]
    write_config(CONFIG.format(url=fake_url))
    return fake_url


def db(isolated_env: Path) -> sqlite3.Connection:
    return sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")


def test_json_shape_with_one_model_failing(groq: str, isolated_env: Path) -> None:
    result = run_cli("compare", "-m", OK, "-m", DRIP, "-m", BROKEN, "--json", "hi", env=KEY)
    assert result.returncode == 1, result.stderr  # one failed: exit 1, the rest still printed
    data = json.loads(result.stdout)
    assert set(data) == {"run_id", "conversation_id", "results", "summary"}
    assert [r["model"] for r in data["results"]] == [OK, DRIP, BROKEN]
    for r in data["results"]:
        assert set(r) == RESULT_KEYS and r["run"] == 1 and r["prompt_id"] == "1"
        assert set(r["usage"]) == {"input_tokens", "output_tokens", "cached_input_tokens",
                                   "estimated", "reasoning_tokens", "reasoning_estimated"}
    ok, drip, broken = data["results"]
    assert ok["text"] == "Hello, world!" and ok["error"] is None
    assert ok["usage"] == {"input_tokens": 1, "output_tokens": 4, "cached_input_tokens": 0,
                           "estimated": False, "reasoning_tokens": 0, "reasoning_estimated": False}
    assert ok["reasoning"] is None and ok["answer_ttft_s"] == ok["ttft_s"]
    assert ok["cost_usd"] == pytest.approx(0.00000375)  # 1 * 0.59/1M + 4 * 0.79/1M
    assert ok["ttft_s"] >= 0
    assert drip["text"] == "".join(f"w{i} " for i in range(12)) and drip["tokens_per_s"] > 0
    assert drip["cost_usd"] is None  # no price known for it
    assert broken["text"] == "Partial answer" and broken["error"]["kind"] == "network"
    assert set(data["summary"]) == {OK, DRIP, BROKEN}
    for summary in data["summary"].values():
        assert set(summary) == {"results", "errors", "ttft_s", "tokens_per_s", "mean_cost_usd"}
        assert set(summary["ttft_s"]) == set(summary["tokens_per_s"]) == {"p50", "p95"}
    assert data["summary"][BROKEN]["errors"] == 1 and data["summary"][OK]["errors"] == 0
    assert data["summary"][BROKEN]["ttft_s"] == {"p50": None, "p95": None}  # failures not timed
    assert data["summary"][OK]["mean_cost_usd"] == pytest.approx(0.00000375)
    assert f"llmtui vote {data['run_id']}" in result.stderr
    # stored as a compare run: one conversation, the prompt, an answer per lane
    store = db(isolated_env)
    mode, models = store.execute("SELECT mode, models FROM conversations WHERE id = ?",
                                 (data["conversation_id"],)).fetchone()
    assert mode == "compare" and json.loads(models) == [OK, DRIP, BROKEN]
    rows = store.execute("SELECT role, lane, model, status FROM messages ORDER BY lane, id").fetchall()
    assert rows == [("user", 0, None, "done"), ("assistant", 0, OK, "done"),
                    ("assistant", 1, DRIP, "done"), ("assistant", 2, BROKEN, "interrupted")]
    assert store.execute("SELECT conversation_id, repeats FROM compare_runs WHERE id = ?",
                         (data["run_id"],)).fetchone() == (data["conversation_id"], 1)


def test_runs_5_percentiles_by_hand(groq: str) -> None:
    result = run_cli("compare", "-m", OK, "-m", DRIP, "--runs", "5", "--json", "hi", env=KEY)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(r["model"], r["run"]) for r in data["results"]] == [
        (m, n) for n in range(1, 6) for m in (OK, DRIP)]
    for model in (OK, DRIP):
        ttfts = sorted(r["ttft_s"] for r in data["results"] if r["model"] == model)
        # five values: p50 is the 3rd; p95 sits at rank 4 * 0.95 = 3.8, 4/5 of the way
        # from the 4th to the 5th (linear interpolation, as --help says)
        by_hand_p95 = ttfts[3] + 0.8 * (ttfts[4] - ttfts[3])
        summary = data["summary"][model]
        assert summary["results"] == 5 and summary["errors"] == 0
        assert summary["ttft_s"]["p50"] == pytest.approx(ttfts[2], abs=1e-4)
        assert summary["ttft_s"]["p95"] == pytest.approx(by_hand_p95, abs=1e-4)
        rates = [r["tokens_per_s"] for r in data["results"] if r["model"] == model]
        if None not in rates:
            assert summary["tokens_per_s"]["p50"] == pytest.approx(sorted(rates)[2], abs=0.1)
    assert percentile([0.1, 0.5, 0.2, 0.4, 0.3], 0.95) == pytest.approx(0.48)


def test_jsonl_one_line_per_result_and_prompt_set_with_systems(
        groq: str, tmp_path: Path, openai_server) -> None:  # type: ignore[no-untyped-def]
    server, _ = openai_server
    prompts = tmp_path / "evals.jsonl"
    prompts.write_text('{"id": "sum", "prompt": "What is 2+2?", "system": "Answer with a digit."}\n'
                       "\n"
                       '{"id": 7, "prompt": "Name a prime"}\n')
    before = len(server.requests)
    result = run_cli("compare", "-m", OK, "-m", DRIP, "--prompts", str(prompts), "--runs", "2",
                     "-s", "Be terse.", "--jsonl", env=KEY)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 * 2 * 2 and all(set(r) == RESULT_KEYS for r in lines)
    assert sorted((r["prompt_id"], r["run"], r["model"]) for r in lines) == sorted(
        (p, n, m) for p in ("sum", "7") for n in (1, 2) for m in (OK, DRIP))
    systems = {(body["messages"][-1]["content"], body["messages"][0]["content"])
               for body in (r.json() for r in server.requests[before:])}
    assert systems == {("What is 2+2?", "Answer with a digit."), ("Name a prime", "Be terse.")}


def test_plain_text_answers_under_their_models_and_a_metrics_table(groq: str) -> None:
    result = run_cli("compare", "-m", OK, "-m", BROKEN, "hi", env=KEY)
    assert result.returncode == 1
    out = result.stdout
    assert out.index(f"── {OK} ──") < out.index("Hello, world!") < out.index(f"── {BROKEN} ──")
    assert out.index(f"── {BROKEN} ──") < out.index("Partial answer") < out.index("[network:")
    header, *rows = out[out.index("MODEL"):].splitlines()
    assert header.split()[:5] == ["MODEL", "RUN", "PROMPT", "TTFT", "s"]
    assert rows[0].split()[0] == OK and rows[0].split()[-1] == "ok"
    assert rows[1].split()[0] == BROKEN and rows[1].split()[-1] == "error"


def test_a_batch_over_the_daily_limit_sends_nothing(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                     openai_server) -> None:
    server, _ = openai_server
    write_config(CONFIG.format(url=fake_url) + '[prices."groq/drip-12"]\ninput = 0.59\n'
                 'output = 0.79\n' + "\n[budget]\ndaily_usd = 0.001\n")
    before = len(server.requests)
    # each request: up to 1000 output tokens at 0.79/1M = $0.00079; 5 runs pass $0.001
    result = run_cli("compare", "-m", OK, "-m", DRIP, "--runs", "5", "--max-tokens", "1000",
                     "hi", env=KEY)
    assert result.returncode == 2
    assert "budget:" in result.stderr and "daily spending limit" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(server.requests) == before
    one = run_cli("compare", "-m", OK, "-m", DRIP, "--max-tokens", "500", "--json", "hi", env=KEY)
    assert one.returncode == 0, one.stderr  # one run of two 500-token answers fits


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["hi"], "name 1 to 4 models"),
        (["-m", "a/1", "-m", "a/2", "-m", "a/3", "-m", "a/4", "-m", "a/5", "hi"], "name 1 to 4"),
        (["-m", OK, "-m", OK, "hi"], "named twice"),
        (["-m", OK, "-m", DRIP, "--runs", "0", "hi"], "--runs must be"),
        (["-m", OK, "-m", "nosuch/x", "hi"], "unknown provider 'nosuch'"),
        (["-m", OK, "-m", DRIP], "give a PROMPT"),
        (["-m", OK, "-m", DRIP, "--prompts", "/nonexistent/p.txt"], "cannot read"),
        (["-m", OK, "-m", DRIP, "--json", "--jsonl", "hi"], "not allowed with"),
    ],
)
def test_usage_errors_exit_2(args: list[str], needle: str) -> None:
    result = run_cli("compare", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_a_bad_prompt_set_line_names_file_and_line(tmp_path: Path) -> None:
    prompts = tmp_path / "p.jsonl"
    prompts.write_text('{"prompt": "ok"}\n{"prompt": ""}\n')
    result = run_cli("compare", "-m", "demo/simulated-fast", "--prompts", str(prompts))
    assert result.returncode == 2
    assert f"{prompts}:2: \"prompt\" must be a non-empty string" in result.stderr


def test_two_reasoning_models_report_their_thinking(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    """DeepSeek-style and OpenRouter-style reasoning side by side: each result carries its thinking."""
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n'
                 f'[providers.together]\nbase_url = "{fake_url}/v1"\n')
    result = run_cli("compare", "-m", "deepseek/r-deepseek-30", "-m", "together/r-openrouter-30", "--json",
                     "hi", env={"DEEPSEEK_API_KEY": "sk-test-123", "TOGETHER_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    for r in json.loads(result.stdout)["results"]:
        assert r["reasoning"] == "Let me think about «that»." and r["text"] == "Hello, world!"
        assert r["ttft_s"] < r["answer_ttft_s"] and r["thinking_s"] > 0
        assert r["usage"]["reasoning_tokens"] == 6
