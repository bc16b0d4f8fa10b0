"""`llmtui ask` with reasoning models: thinking on stderr, the answer alone on stdout, and the
figures in --json (subprocesses against loopback fakes)."""

from __future__ import annotations

import io
import json
import math

from llmtui.cli.thinking import DIM, REDACTED_NOTE, RESET, ThoughtPrinter
from llmtui.core.answer_stats import ALL_THOUGHT
from tests.conftest import run_cli
from tests.fakes.anthropic_fake import start_anthropic_fake
from tests.fakes.reasoning_fake import ANSWER, THOUGHT

ENV = {"DEEPSEEK_API_KEY": "sk-test-123"}


def deepseek(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n[network]\nmax_retries = 0\n')


def test_thinking_goes_to_stderr_and_stdout_holds_the_answer_alone(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    deepseek(write_config, fake_url)
    result = run_cli("ask", "-m", "deepseek/r-deepseek-20", "hi", env=ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(ANSWER) + "\n"
    assert "thinking:\n" + "".join(THOUGHT) in result.stderr
    assert DIM not in result.stderr  # not a terminal: no escape codes in a log file
    assert "answer " in result.stderr and "thought " in result.stderr and "6 thinking tok" in result.stderr
    quiet = run_cli("ask", "--no-reasoning", "-m", "deepseek/r-deepseek", "hi", env=ENV)
    assert quiet.stdout == "".join(ANSWER) + "\n" and "".join(THOUGHT) not in quiet.stderr


def test_json_carries_reasoning_and_the_honest_timings(write_config, fake_url, openai_server) -> None:  # type: ignore[no-untyped-def]
    deepseek(write_config, fake_url)
    server, _ = openai_server
    before = len(server.requests)
    result = run_cli("ask", "--json", "--reasoning-effort", "high", "-m", "deepseek/r-deepseek-50", "hi",
                     env=ENV)
    data = json.loads(result.stdout)
    assert data["text"] == "".join(ANSWER) and data["reasoning"] == "".join(THOUGHT)
    assert data["usage"]["reasoning_tokens"] == len(THOUGHT) and not data["usage"]["reasoning_estimated"]
    assert data["usage"]["output_tokens"] == len(THOUGHT) + len(ANSWER)
    assert data["ttft_s"] < data["answer_ttft_s"]
    assert math.isclose(data["answer_ttft_s"] - data["ttft_s"], data["thinking_s"], abs_tol=2e-4)
    assert math.isclose(data["tokens_per_s"],
                        data["usage"]["output_tokens"] / (data["duration_s"] - data["ttft_s"]), rel_tol=0.01)
    assert server.requests[before].json()["reasoning_effort"] == "high"
    plain = json.loads(run_cli("ask", "--json", "-m", "deepseek/plain", "hi", env=ENV).stdout)
    assert plain["reasoning"] is None and plain["thinking_s"] is None
    assert plain["ttft_s"] == plain["answer_ttft_s"]


def test_anthropic_thinking_budget_flag(write_config) -> None:  # type: ignore[no-untyped-def]
    server, fake = start_anthropic_fake()
    try:
        write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n')
        result = run_cli("ask", "--json", "--thinking-budget", "3000", "--max-tokens", "100",
                         "-m", "anthropic/thinking", "hi", env={"ANTHROPIC_API_KEY": "sk-ant-test"})
    finally:
        server.stop()
    data = json.loads(result.stdout)
    assert data["reasoning"] == "Let me think about «that»." and data["text"] == "Hello from Claude!"
    assert data["usage"]["reasoning_estimated"] is True  # Anthropic does not split its count
    assert fake.bodies[-1]["thinking"] == {"type": "enabled", "budget_tokens": 3000}
    assert fake.bodies[-1]["max_tokens"] == 3100


def test_thinking_is_dim_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    printer = ThoughtPrinter(err, enabled=True, clean=False)
    printer.thought("hmm")
    printer.thought("", redacted=True)
    printer.close()
    assert err.getvalue() == f"{DIM}thinking:\nhmm\n{REDACTED_NOTE}\n{RESET}\n\n"


def test_a_thinking_budget_is_checked_as_the_picker_checks_it(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    """Tester item 1: 0, -1 and 1023 became 1024 and 1e9 was sent as is. Now each is refused in
    one line, exit 2, before anything is sent (item 8: so is a budget for a model that takes none)."""
    server, fake = start_anthropic_fake()
    env = {"ANTHROPIC_API_KEY": "sk-ant-test", **ENV}
    try:
        write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n'
                     f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n[network]\nmax_retries = 0\n')
        cases = {"0": "--reasoning-effort off", "-1": "whole number", "1023": "outside 1024–",
                 "1e9": "1,000,000,000 tokens is outside", "lots": "whole number"}
        for typed, problem in cases.items():
            result = run_cli("ask", f"--thinking-budget={typed}", "-m", "anthropic/thinking", "hi", env=env)
            assert result.returncode == 2, (typed, result.stderr)
            assert problem in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert fake.bodies == []
        none = run_cli("ask", "--thinking-budget", "8000", "-m", "deepseek/r-deepseek", "hi", env=env)
        assert none.returncode == 2 and "takes no thinking budget" in none.stderr, none.stderr
        assert "--reasoning-effort" in none.stderr
        ok = run_cli("ask", "--json", "--thinking-budget", "8k", "-m", "anthropic/thinking", "hi", env=env)
    finally:
        server.stop()
    assert ok.returncode == 0, ok.stderr
    assert fake.bodies[-1]["thinking"] == {"type": "enabled", "budget_tokens": 8000}


def test_a_thinking_count_larger_than_the_output_is_not_believed(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    """Tester item 3: 500 reasoning tokens of 10 completion tokens was shown as exact. The count
    is dropped (estimated from the thought instead); the input and output counts still stand."""
    deepseek(write_config, fake_url)
    result = run_cli("ask", "--json", "-m", "deepseek/r-overcount", "hi", env=ENV)
    assert result.returncode == 0, result.stderr
    usage = json.loads(result.stdout)["usage"]
    assert usage["output_tokens"] == 10 and usage["input_tokens"] > 0 and usage["estimated"] is False
    assert usage["reasoning_estimated"] is True and usage["reasoning_tokens"] != 500


def test_a_redaction_note_stands_on_its_own_line_and_is_in_json(write_config) -> None:  # type: ignore[no-untyped-def]
    """Tester item 5: 'Part two.[part of the thinking is redacted…]' ran into the thought; and
    --json said nothing of it."""
    err = io.StringIO()
    printer = ThoughtPrinter(err, enabled=True, clean=False)
    printer.thought("Part two.")
    printer.thought("", redacted=True)
    printer.thought("After.")
    assert err.getvalue() == f"thinking:\nPart two.\n{REDACTED_NOTE}\nAfter."
    server, _ = start_anthropic_fake()
    try:
        write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n')
        result = run_cli("ask", "--json", "-m", "anthropic/thinking", "hi", env={"ANTHROPIC_API_KEY": "sk-ant-test"})
        plain = run_cli("ask", "-m", "anthropic/thinking", "hi", env={"ANTHROPIC_API_KEY": "sk-ant-test"})
    finally:
        server.stop()
    assert json.loads(result.stdout)["reasoning_redacted"] is True
    assert f"\n{REDACTED_NOTE}\n" in plain.stderr, plain.stderr


def test_an_answer_that_is_all_thinking_says_so(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    """Tester item 7: an unclosed <think> left an empty answer, exit 0, and no word about it."""
    deepseek(write_config, fake_url)
    result = run_cli("ask", "-m", "deepseek/r-unclosed", "hi", env=ENV)
    assert result.stdout.strip() == "" and "".join(THOUGHT) in result.stderr
    assert ALL_THOUGHT in result.stderr


def test_thinking_cut_before_a_zwj_or_inside_a_crlf_prints_as_if_whole() -> None:
    """The thinking on stderr was cleaned piece by piece: 👨<U+200D>👩 and a stray ␍."""
    err = io.StringIO()
    printer = ThoughtPrinter(err, enabled=True, clean=True)
    for piece in ["family 👨", "\u200d👩", "\u200d👧 z\r", "\nw ok\u200d"]:
        printer.thought(piece)
    printer.close()
    assert err.getvalue() == "thinking:\nfamily 👨\u200d👩\u200d👧 z\nw ok<U+200D>\n\n"
