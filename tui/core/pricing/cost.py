"""Usage + price -> cost. Pure functions over Decimal; no I/O, no Textual.

A cost is exact only when both the usage (from the provider) and the price are
known; otherwise it is an estimate (`~$`) or unknown (`$?`, with the reason) —
never a silent zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from llmtui.providers.base import Price, Usage

MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Cost:
    """An amount in USD, or None when it cannot be known (see `note`)."""

    amount: Decimal | None
    estimated: bool = False
    note: str = ""

    @property
    def known(self) -> bool:
        return self.amount is not None

    def display(self) -> str:
        if self.amount is None:
            return "$?"
        return ("~" if self.estimated else "") + format_usd(self.amount)


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


def cost_of(usage: Usage, price: Price | None, *, estimated: bool = False) -> Cost:
    """Cost of one request.

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
    )
