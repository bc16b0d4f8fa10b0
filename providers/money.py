"""Every amount of money a server (or an old database row) gives us, checked before use.

A price or a cost is a finite, non-negative Decimal below a sane ceiling, or it is
unknown (None): never NaN, never negative, never a number that would overflow a sum.
JSON allows `NaN` and `Infinity` (Python's parser accepts them) and servers send
prices as numbers or strings, so everything goes through `usd()`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

MAX_RATE_PER_1M = Decimal(100_000)
"""USD per 1M tokens. The dearest models list a few hundred; more is a broken list."""
MAX_PER_REQUEST = Decimal(1_000)
MAX_PER_SECOND = Decimal(100)
MAX_COST = Decimal(100_000)
"""USD for one request, as a provider reports it or as we store it."""
TICKS_PER_USD = Decimal(10) ** 10
"""xAI's `usage.cost_in_usd_ticks`: 1 USD = 10^10 ticks."""
PER_TOKEN_TO_PER_1M = Decimal(1_000_000)


def usd(value: Any, *, ceiling: Decimal = MAX_COST) -> Decimal | None:
    """`value` as USD when it is a plausible amount (0 <= value <= ceiling), else None.

    Accepts ints, floats and numeric strings (OpenRouter sends `"0.000003"`); a bool,
    NaN, infinity, a negative or absurd number, or anything else is None.
    """
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    # is_finite first: comparing a NaN Decimal raises.
    if not amount.is_finite() or amount < 0 or amount > ceiling:
        return None
    return amount


def rate_per_1m(value: Any) -> Decimal | None:
    """A listed price in USD per 1M tokens."""
    return usd(value, ceiling=MAX_RATE_PER_1M)


def rate_per_token(value: Any) -> Decimal | None:
    """A listed price in USD per token (OpenRouter), as USD per 1M tokens."""
    amount = usd(value, ceiling=MAX_RATE_PER_1M / PER_TOKEN_TO_PER_1M)
    return None if amount is None else amount * PER_TOKEN_TO_PER_1M


def reported_cost(usage: Any) -> Decimal | None:
    """The exact cost a provider put in its usage object, in USD, or None.

    OpenRouter: `usage.cost` (credits, 1 credit = 1 USD). xAI: `usage.cost_in_usd_ticks`.
    """
    if not isinstance(usage, dict):
        return None
    ticks = usage.get("cost_in_usd_ticks")
    if isinstance(ticks, int) and not isinstance(ticks, bool):
        return usd(Decimal(ticks) / TICKS_PER_USD)
    if "cost" in usage:
        return usd(usage.get("cost"))
    return None
