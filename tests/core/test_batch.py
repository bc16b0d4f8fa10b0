"""A compare batch's pieces without the network: prompt sets, the summary, the batch budget."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from llmtui.core import spend
from llmtui.core.batch import BatchResult, Settings, plan, summarize
from llmtui.core.batch_budget import release, reserve_batch
from llmtui.core.budget import Refused
from llmtui.core.config import load_config
from llmtui.core.exchange import ExchangeStats
from llmtui.core.pricing.cost import Cost
from llmtui.core.prompt_set import PromptItem, PromptSetError, load_prompt_set
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ErrorKind, StreamError, Usage


def result(model: str, run: int, ttft: float, cost: str | None, *, failed: bool = False) -> BatchResult:
    stats = ExchangeStats(model, started=100.0, first_token_at=100.0 + ttft, ended_at=101.0 + ttft)
    stats.usage = Usage(3, 10)
    stats.cost = Cost(None if cost is None else Decimal(cost), False, "")
    error = StreamError(ErrorKind.SERVER, "boom") if failed else None
    return BatchResult(model, 0, run, PromptItem("1", "hi"), stats, error)


def test_summary_percentiles_and_mean_cost_by_hand() -> None:
    results = [result("m/a", n, ttft, "0.002") for n, ttft in enumerate([0.5, 0.1, 0.4, 0.2, 0.3], 1)]
    results.append(result("m/a", 6, 9.0, "0", failed=True))
    results.append(result("m/b", 1, 1.0, None))
    a, b = summarize(["m/a", "m/b"], results)
    # answers that did not fail: TTFT 0.1 0.2 0.3 0.4 0.5 -> p50 0.3; p95 at rank 3.8 -> 0.48
    assert (a.results, a.errors) == (6, 1)
    assert a.ttft_p50 == pytest.approx(0.3) and a.ttft_p95 == pytest.approx(0.48)
    # every answer made 10 tokens in 1 s after its first token
    assert a.tps_p50 == pytest.approx(10.0) and a.tps_p95 == pytest.approx(10.0)
    # mean over the six known costs, the failed one's $0 included: 5 * 0.002 / 6
    assert a.mean_cost == Decimal("0.01") / 6
    assert (b.results, b.errors, b.mean_cost) == (1, 0, None) and b.ttft_p50 == pytest.approx(1.0)


def test_plain_prompt_set_ids_are_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("first prompt\n\n  second one\n")
    assert load_prompt_set(path) == [PromptItem("1", "first prompt"), PromptItem("3", "  second one")]


def test_jsonl_prompt_set(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "a", "prompt": "x", "system": "s"}\n{"prompt": "y"}\n{"id": 9, "prompt": "z"}\n')
    assert load_prompt_set(path) == [PromptItem("a", "x", "s"), PromptItem("2", "y"),
                                     PromptItem("9", "z")]


def test_jsonl_line_without_id_does_not_clash_with_a_given_id(tmp_path: Path) -> None:
    # The tester's file: id "2" on line 1, no id on line 2 (which took "2" and was refused).
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "2", "prompt": "first"}\n{"prompt": "second"}\n{"prompt": "third"}\n')
    assert load_prompt_set(path) == [PromptItem("2", "first"), PromptItem("line 2", "second"),
                                     PromptItem("3", "third")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": "a", "prompt": "x"}\n{"id": "a", "prompt": "y"}\n', "the id 'a' is used twice"),
        ('{"prompt": "x"}\n{"prompt": "y"\n', ":2: not JSON"),
        ('{"prompt": "x"}\n["y"]\n', ':2: expected an object with "prompt"'),
        ('{"prompt": "x", "id": true}\n', ':1: "id" must be a string or an integer'),
        ('{"prompt": "x", "system": 3}\n', ':1: "system" must be a string'),
        ("\n\n", "no prompts in the file"),
    ],
)
def test_bad_prompt_sets_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(text)
    with pytest.raises(PromptSetError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_prompt_set(path)


def runtime_with(tmp_path: Path, config: str) -> Runtime:
    path = tmp_path / "config" / "llmtui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config)
    return Runtime(load_config(), Store(tmp_path / "s.sqlite3"))


PRICED = '[prices."groq/m"]\ninput = 1.0\noutput = 2.0\n'


def test_batch_budget_sums_the_whole_batch(tmp_path: Path) -> None:
    # each request: "hi" is at most 2 + 8 prompt tokens at $1/M + 1000 output tokens at $2/M
    # = $0.00201; four fit $0.01, five do not
    runtime = runtime_with(tmp_path, PRICED + "[budget]\ndaily_usd = 0.01\n")
    items = [PromptItem("1", "hi")]
    settings = Settings(max_tokens=1000)
    with pytest.raises(Refused) as refused:
        reserve_batch(runtime, plan(["groq/m"], items, 5, settings))
    message = refused.value.error.message
    assert "request 5 of 5: " in message
    assert "daily spending limit $0.0100" in message
    assert runtime.store.charges() == []  # all or nothing: nothing was reserved
    four = reserve_batch(runtime, plan(["groq/m"], items, 4, settings))
    assert [r.quote.worst for r in four] == [Decimal("0.00201")] * 4
    assert spend.total(runtime.store).amount == Decimal("0.00804")
    # free models never count: a demo batch of any size passes
    assert len(reserve_batch(runtime, plan(["demo/simulated"], items, 100, settings))) == 100
    release(runtime, four)
    assert spend.total(runtime.store).amount == 0  # never sent: given back


def test_batch_budget_per_request_and_provider_month(tmp_path: Path) -> None:
    runtime = runtime_with(tmp_path, PRICED + "[budget]\nper_request_usd = 0.001\n")
    with pytest.raises(Refused, match="over the per-request spending limit"):
        reserve_batch(runtime, plan(["groq/m"], [PromptItem("1", "hi")], 1, Settings(max_tokens=1000)))
    runtime = runtime_with(tmp_path, PRICED + "[providers.groq]\nmonthly_usd = 0.003\n")
    with pytest.raises(Refused, match="groq monthly spending limit"):
        reserve_batch(runtime, plan(["groq/m"], [PromptItem("1", "hi")], 2, Settings(max_tokens=1000)))
