"""Usage + price -> cost. Pure functions over Decimal; no I/O, no Textual.

A cost is known one of three ways (`Cost.source`): reported by the provider
(`provider`: OpenRouter's usage.cost, xAI's cost_in_usd_ticks), reported usage x a
known price (`computed`), or tokens guessed from text (`estimate`). Otherwise it is
unknown (`$?`, with the reason) — never a silent zero. Usage that cannot be right
(negative counts, a NaN hardware time) makes the cost unknown, not wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from llmtui.providers.base import Price, Usage
from llmtui.providers.money import usd

MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Cost:
    """An amount in USD, or None when it cannot be known (see `note`)."""

    amount: Decimal | None
    estimated: bool = False
    note: str = ""
    reported: bool = False
    """The provider said what it charged (exact, whatever our price data says)."""
    computed: Decimal | None = None
    """With a reported cost: what usage x our price makes it (stale prices show here)."""

    @property
    def known(self) -> bool:
        return self.amount is not None

    @property
    def source(self) -> str | None:
        """provider | computed | estimate; None when unknown."""
        if self.amount is None:
            return None
        return "provider" if self.reported else "estimate" if self.estimated else "computed"

    @property
    def difference(self) -> Decimal | None:
        """Reported minus computed, when both exist."""
        if not self.reported or self.amount is None or self.computed is None:
            return None
        return self.amount - self.computed

    def display(self) -> str:
        """`$` reported by the provider, `≈$` usage x our price, `~$` an estimate, `$?`
        unknown. A computed zero is exact (a free model): `$0`."""
        if self.amount is None:
            return "$?"
        if self.estimated:
            return "~" + format_usd(self.amount)
        if self.reported or self.amount == 0:
            return format_usd(self.amount)
        return "≈" + format_usd(self.amount)


def format_usd(amount: Decimal) -> str:
    """Round for display only: 4 significant decimals for small sums, cents for large."""
    if amount == 0:
        return "$0"
    if abs(amount) >= 1:
        return f"${amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    if abs(amount) >= Decimal("0.01"):
        return f"${amount.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}"
    digits = max(4, -amount.adjusted() + 2)
    quantum = Decimal(1).scaleb(-digits)
    return f"${amount.quantize(quantum, rounding=ROUND_HALF_UP)}"


REPORTED_NOTE = "reported by the provider"


def stored_cost(amount: str | None, estimated: bool, note: str | None) -> Cost:
    """A cost as a message row keeps it (an older llmtui may have stored NaN: unknown)."""
    return Cost(usd(amount), bool(estimated), note or "", reported=note == REPORTED_NOTE)


def cost_of(usage: Usage, price: Price | None, *, estimated: bool = False) -> Cost:
    """Cost of one request: the provider's own figure when it gave one, else computed."""
    problem = _usage_problem(usage)
    if problem:
        return Cost(None, estimated, problem)
    computed = _computed(usage, price, estimated=estimated)
    if computed.amount is not None and usd(computed.amount) is None:
        computed = Cost(None, estimated, "the price data gives an impossible amount")
    reported = usd(usage.cost_usd)
    if reported is not None and not estimated:
        return Cost(reported, False, REPORTED_NOTE, reported=True,
                    computed=computed.amount)
    return computed


def _usage_problem(usage: Usage) -> str:
    counts = (usage.input_tokens, usage.output_tokens, usage.cached_input_tokens,
              usage.cache_write_tokens)
    if any(not isinstance(c, int) or c < 0 for c in counts):
        return "the provider reported usage that cannot be right"
    seconds = usage.predict_time_s
    if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
        return "the provider reported a hardware time that cannot be right"
    return ""


def _computed(usage: Usage, price: Price | None, *, estimated: bool = False) -> Cost:
    """Usage x price.

    `cached_input_tokens` and `cache_write_tokens` are parts of `input_tokens`; each
    part is billed at its own rate when the price gives one, else at the input rate
    (a conservative choice: caching never makes an unknown rate look cheaper).
    Hardware-time (`per_second`) and per-request prices add to token prices.
    """
    if price is None:
        return Cost(None, estimated, "no price known for this model")
    price = rates_for(price, usage.input_tokens)
    total = Decimal(0)
    billed = False
    cached = min(usage.cached_input_tokens, usage.input_tokens)
    write = min(usage.cache_write_tokens, usage.input_tokens - cached)
    plain = usage.input_tokens - cached - write
    needs_tokens = usage.input_tokens or usage.output_tokens
    if price.input is not None:
        total += plain * price.input
        total += cached * (price.cached_input if price.cached_input is not None else price.input)
        total += write * (price.cache_write if price.cache_write is not None else price.input)
        billed = True
    elif usage.input_tokens and price.per_second is None and price.per_request is None:
        return Cost(None, estimated, "no input price for this model")
    if price.output is not None:
        total += usage.output_tokens * price.output
        billed = True
    elif usage.output_tokens and price.per_second is None and price.per_request is None:
        return Cost(None, estimated, "no output price for this model")
    total /= MILLION
    if price.per_second is not None:
        if usage.predict_time_s is None:
            if not billed or not needs_tokens:
                return Cost(None, estimated, "billed by hardware time, which was not reported")
        else:
            total += Decimal(str(usage.predict_time_s)) * price.per_second
            billed = True
    if price.per_request is not None:
        total += price.per_request
        billed = True
    if not billed:
        return Cost(None, estimated, "no price known for this model")
    return Cost(total, estimated)


def cache_saving(usage: Usage | None, price: Price | None) -> Decimal | None:
    """What reading `cached_input_tokens` from the provider's cache saved against the full
    input rate; None when nothing was cached or a rate is unknown."""
    if usage is None or price is None or usage.cached_input_tokens <= 0:
        return None
    rates = rates_for(price, usage.input_tokens)
    if rates.input is None or rates.cached_input is None:
        return None
    cached = min(usage.cached_input_tokens, usage.input_tokens)
    return usd(cached * (rates.input - rates.cached_input) / MILLION)


def rates_for(price: Price, input_tokens: int) -> Price:
    """The rates that apply to a request with this many prompt tokens.

    Tiers are cliffs, as providers bill them: once the prompt passes a tier's
    threshold, that tier's rates apply to every token of the request.
    """
    tier = None
    for candidate in sorted(price.tiers, key=lambda t: t.above_input_tokens):
        if input_tokens > candidate.above_input_tokens:
            tier = candidate
    if tier is None:
        return price
    return replace(
        price,
        input=tier.input if tier.input is not None else price.input,
        output=tier.output if tier.output is not None else price.output,
        cached_input=tier.cached_input if tier.cached_input is not None else price.cached_input,
        cache_write=tier.cache_write if tier.cache_write is not None else price.cache_write,
        tiers=(),
    )


def estimate_request(price: Price | None, prompt_tokens: int, max_output_tokens: int | None) -> Cost:
    """What a request is likely to cost at most, before it is sent.

    Prompt tokens at the input rate plus `max_output_tokens` at the output rate (when
    a cap is set) plus any per-request fee. Hardware-time billing cannot be foreseen.
    """
    usage = Usage(prompt_tokens, max_output_tokens or 0)
    cost = cost_of(usage, price, estimated=True)
    if cost.amount is None and price is not None and price.per_second is not None:
        return Cost(price.per_request or Decimal(0), True, "billed by hardware time; not foreseeable")
    return cost


def add(costs: list[Cost]) -> Cost:
    """Sum; unknown parts make the total a lower bound, flagged as estimated."""
    known = [c.amount for c in costs if c.amount is not None]
    if not known and costs:
        return Cost(None, True, "no price known")
    return Cost(
        sum(known, Decimal(0)),
        any(c.estimated or c.amount is None for c in costs),
        "some costs unknown" if len(known) < len(costs) else "",
        reported=bool(costs) and all(c.reported for c in costs),
    )
