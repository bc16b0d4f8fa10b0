"""The cost engine against figures worked out by hand (USD, prices per 1M tokens)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from llmtui.core.exchange import ExchangeStats
from llmtui.core.pricing.cost import Cost, cost_of, estimate_request
from llmtui.core.pricing.genai import genai_price
from llmtui.core.pricing.lookup import bundled_price, with_cache_rules
from llmtui.core.pricing.table import replicate_hardware_price, table_price
from llmtui.providers.base import Price, PriceTier, Usage, estimate_tokens

D = Decimal


def test_groq_cached_input_at_half_the_input_rate() -> None:
    price = with_cache_rules("groq", Price(input=D("0.59"), output=D("0.79")))
    assert price.cached_input == D("0.295")
    cost = cost_of(Usage(input_tokens=1000, output_tokens=4, cached_input_tokens=800), price)
    # 200 x 0.59 + 800 x 0.295 + 4 x 0.79 = 118 + 236 + 3.16 = 357.16 per 1M
    assert cost.amount == D("0.00035716") and not cost.estimated
    assert cost.display() == "≈$0.000357"


def test_anthropic_cache_read_and_write() -> None:
    price = bundled_price("anthropic", "claude-sonnet-4-5")
    assert price is not None
    assert (price.input, price.cached_input, price.cache_write, price.output) == (
        D("3"), D("0.3"), D("3.75"), D("15"))
    usage = Usage(input_tokens=10_000, output_tokens=500, cached_input_tokens=6000,
                  cache_write_tokens=2000)
    # 2000 x 3 + 6000 x 0.3 + 2000 x 3.75 + 500 x 15 = 6000 + 1800 + 7500 + 7500 = 22800 per 1M
    assert cost_of(usage, price).amount == D("0.0228")


def test_anthropic_rule_fills_missing_cache_rates() -> None:
    price = with_cache_rules("anthropic", Price(input=D("3"), output=D("15")))
    assert (price.cached_input, price.cache_write) == (D("0.3"), D("3.75"))


def test_per_second_hardware_time() -> None:
    price = replicate_hardware_price("gpu-a40-large")
    assert price is not None and price.per_second == D("0.000725")
    # 12.5 s x $0.000725/s = $0.0090625
    assert cost_of(Usage(predict_time_s=12.5), price).amount == D("0.0090625")
    unknown = cost_of(Usage(input_tokens=10, output_tokens=5), price)
    assert unknown.amount is None and "hardware time" in unknown.note


def test_per_request_price() -> None:
    price = table_price("reka", "reka-flash-research")
    assert price is not None and price.per_request == D("0.025")  # $25 per 1,000 requests
    cost = cost_of(Usage(input_tokens=1200, output_tokens=800), price)
    assert cost.amount == D("0.025")


def test_unknown_price_is_never_zero() -> None:
    cost = cost_of(Usage(100, 20), None)
    assert cost.amount is None and cost.display() == "$?" and cost.note
    assert cost_of(Usage(100, 20), Price(output=D("1"))).amount is None


def test_tiers_are_cliffs_on_prompt_size() -> None:
    price = genai_price("google", "gemini-2.5-pro")
    assert price is not None
    assert price.tiers == (PriceTier(200_000, D("2.5"), D("15"), D("0.25"), None),)
    # under the tier: 100000 x 1.25 + 1000 x 10 = 135000 per 1M
    assert cost_of(Usage(100_000, 1000), price).amount == D("0.135")
    # exactly at the threshold still the base rate: 200000 x 1.25 + 1000 x 10 = 260000
    assert cost_of(Usage(200_000, 1000), price).amount == D("0.26")
    # over it, every token at the tier rate: 250000 x 2.5 + 1000 x 15 = 640000
    assert cost_of(Usage(250_000, 1000), price).amount == D("0.64")


def test_streaming_estimate_and_pre_send_estimate() -> None:
    price = Price(input=D("0.59"), output=D("0.79"))
    assert estimate_tokens("abcdefgh") == 2 and estimate_tokens("é") == 1  # 2 bytes -> 1 token
    stats = ExchangeStats("groq/m", parts=["x" * 400], prompt_tokens_estimate=1000, price=price)
    live = stats.cost_now()  # 100 output tokens guessed from the text so far
    # 1000 x 0.59 + 100 x 0.79 = 669 per 1M
    assert live.amount == D("0.000669") and live.estimated and live.display() == "~$0.000669"
    before = estimate_request(price, 1000, 500)
    # 1000 x 0.59 + 500 x 0.79 = 985 per 1M
    assert before.amount == D("0.000985") and before.estimated


def test_display_rounds_but_amount_stays_exact() -> None:
    cost = Cost(D("1.23456"))
    assert cost.display() == "≈$1.23" and cost.amount == D("1.23456")  # usage x price
    assert Cost(D("1.23456"), reported=True).display() == "$1.23"  # the provider said so


rates = st.decimals(min_value=0, max_value=200, places=4, allow_nan=False, allow_infinity=False)


@given(
    st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7),
    rates, rates, rates, rates,
)
def test_cost_is_the_sum_of_its_parts(inp: int, cached: int, write: int, out: int,
                                      p_in: Decimal, p_cached: Decimal, p_write: Decimal,
                                      p_out: Decimal) -> None:
    price = Price(input=p_in, output=p_out, cached_input=p_cached, cache_write=p_write)
    total_in = inp + cached + write
    whole = cost_of(Usage(total_in, out, cached, write), price).amount
    parts = (
        cost_of(Usage(inp, 0), price).amount
        + cost_of(Usage(cached, 0, cached), price).amount
        + cost_of(Usage(write, 0, 0, write), price).amount
        + cost_of(Usage(0, out), price).amount
    )
    assert whole == parts and whole >= 0
