"""Every number from the network checked before it is used (reliability-run H2, M2d, M3):
NaN, negative, absurd or malformed prices, usage and costs are unknown — `$?` or an estimate,
never `$0`, never negative, never a crash."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from llmtui.core.pricing.cost import cost_of
from llmtui.providers.base import Price, Usage
from llmtui.providers.catalog_parse import parse_model_list
from llmtui.providers.money import rate_per_1m, rate_per_token, reported_cost, usd
from llmtui.providers.replicate import usage_from_metrics
from tests.conftest import run_cli
from tests.fakes.money_fake import KEYS, config


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "NaN", "sNaN", "-Infinity", -5,
                                   "-0.1", True, None, {}, [], "abc", "1e400", 10**30])
def test_impossible_amounts_are_unknown(value: object) -> None:
    assert usd(value) is None and rate_per_1m(value) is None and rate_per_token(value) is None


def test_plausible_amounts_are_exact() -> None:
    assert usd("0.000003") == Decimal("0.000003") and usd(0) == Decimal(0)
    assert rate_per_token("0.000015") == Decimal("15.000000")
    assert reported_cost({"cost": 0.95}) == Decimal("0.95")
    assert reported_cost({"cost_in_usd_ticks": 37756000}) == Decimal("0.0037756")
    assert reported_cost({"cost": float("nan")}) is None
    assert reported_cost({"cost_in_usd_ticks": -1}) is None
    assert reported_cost({"prompt_tokens": 3}) is None


def test_a_model_list_with_nan_negative_or_absurd_prices_lists_them_unpriced() -> None:
    payload = {"data": [
        {"id": "ok", "pricing": {"input": 0.2, "output": 0.6}},
        {"id": "nan", "pricing": {"input": "NaN", "output": 1.0}},
        {"id": "neg", "pricing": {"input": -5, "output": -5}},
        {"id": "inf", "pricing": {"input": float("inf"), "output": 1e300}},
    ]}
    prices = {m.id: m.price for m in parse_model_list("together", payload)}
    assert prices["ok"] is not None and prices["ok"].input == Decimal("0.2")
    assert prices["nan"] is not None and prices["nan"].input is None
    assert prices["nan"].output == Decimal("1.0")
    assert prices["neg"] is None and prices["inf"] is None


def test_replicate_nan_predict_time_makes_the_cost_unknown() -> None:
    usage = usage_from_metrics({"predict_time": float("nan"), "input_token_count": 3,
                                "output_token_count": 4})
    cost = cost_of(usage, Price(per_second=Decimal("0.001")))
    assert cost.amount is None and "hardware time" in cost.note


@pytest.mark.parametrize("usage", [Usage(-100_000_000, -100_000_000), Usage(5, -1),
                                   Usage(1, 2, predict_time_s=math.inf)])
def test_impossible_usage_costs_nothing_known(usage: Usage) -> None:
    cost = cost_of(usage, Price(input=Decimal(1), output=Decimal(2), per_second=Decimal(1)))
    assert cost.amount is None and cost.display() == "$?"


@pytest.mark.parametrize("scenario", ["usage-float", "usage-strings", "usage-nan", "usage-empty"])
def test_malformed_usage_is_never_an_exact_zero(write_config, money, scenario: str) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url, f'[prices."groq/{scenario}"]\ninput = 1\noutput = 2\n'))
    result = run_cli("ask", "--json", "-m", f"groq/{scenario}", "hi", env=KEYS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == "Four tokens of text"
    # the usage cannot be right: the cost is estimated from the text (or unknown), never $0
    assert data["cost_source"] in ("estimate", None)
    assert data["cost_usd"] is None or data["cost_usd"] > 0
    assert "Traceback" not in result.stderr
    assert json.loads(run_cli("spend", "--json").stdout)["total_usd"] >= 0


def test_a_nan_or_negative_reported_cost_is_not_believed(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url, '[prices."openrouter/x/or-nan-cost"]\ninput = 1\noutput = 1\n'
                                    '[prices."openrouter/x/or-negative-cost"]\ninput = 1\noutput = 1\n'))
    for model in ("or-nan-cost", "or-negative-cost"):
        data = json.loads(run_cli("ask", "--json", "-m", f"openrouter/x/{model}", "hi",
                                  env=KEYS).stdout)
        # 10 in + 4 out at $1/1M, computed from usage: the reported figure is ignored
        assert (data["cost_source"], data["cost_usd"]) == ("computed", 0.000014)
