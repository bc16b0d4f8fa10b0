"""Hard spending limits, checked before a request is sent.

`[budget] per_request_usd / daily_usd / monthly_usd` and `[providers.NAME] monthly_usd`.
A limit already reached refuses the request; so does a request that would likely pass
one: prompt tokens (estimated from the text) at the input rate plus `max_tokens` at
the output rate (plus any per-request fee). Thinking is billed as output, so a request's
thinking budget (or the one its reasoning effort stands for) is added to `max_tokens`:
the worst case. Without either only the prompt can be foreseen. Free models (demo,
local) are never refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core import spend
from llmtui.core.image_tokens import request_prompt_tokens
from llmtui.core.pricing.cost import estimate_request, format_usd
from llmtui.providers.base import ErrorKind, Remedy, StreamError
from llmtui.providers.reasoning import thinking_budget

if TYPE_CHECKING:
    from llmtui.core.config import Config
    from llmtui.core.store import Store
    from llmtui.providers.base import ChatRequest, Price


def _is_free(price: Price | None) -> bool:
    if price is None:
        return False
    rates = (price.input, price.output, price.cached_input, price.per_second, price.per_request)
    return all(r is None or r == 0 for r in rates) and price.input is not None


def prompt_tokens(request: ChatRequest) -> int:
    """Text, attached files and images (image_tokens.py: an upper bound per image)."""
    return request_prompt_tokens(request)


def output_cap(request: ChatRequest) -> int | None:
    """The most output tokens the request can be billed for: answer plus thinking."""
    thinking = thinking_budget(request) or 0
    if request.max_tokens is None and not thinking:
        return None
    return (request.max_tokens or 0) + thinking


def has_limits(config: Config, provider_id: str) -> bool:
    budget = config.budget
    user = config.providers.get(provider_id)
    return not (budget.per_request_usd is None and budget.daily_usd is None
                and budget.monthly_usd is None and (user is None or user.monthly_usd is None))


def _refusal(message: str, setting: str) -> StreamError:
    return StreamError(ErrorKind.BUDGET, message, remedy=Remedy.RAISE_BUDGET, setting=setting)


def check_budget(
    config: Config, store: Store, ref: str, request: ChatRequest, price: Price | None
) -> StreamError | None:
    """A refusal when a limit is reached or would be passed, else None.

    Blocking (it sums spend in SQLite): call it from a thread. `price` is the one the
    Exchange resolved for this answer. The message states the fact; the remedy
    (raise the setting) travels as data, so no surface says it twice.
    """
    provider_id = ref.partition("/")[0]
    if not has_limits(config, provider_id) or _is_free(price):
        return None
    budget = config.budget
    user = config.providers.get(provider_id)
    provider_monthly = user.monthly_usd if user is not None else None
    tokens = prompt_tokens(request)
    cap = output_cap(request)
    estimate = estimate_request(price, tokens, cap)
    expected = estimate.amount if estimate.amount is not None else Decimal(0)

    if budget.per_request_usd is not None and estimate.amount is not None:
        if estimate.amount > budget.per_request_usd:
            parts = [f"{tokens} prompt tokens"]
            if cap:
                thinking = ", thinking included" if cap != request.max_tokens else ""
                parts.append(f"up to {cap} output tokens{thinking}")
            return _refusal(
                f"{ref} could cost {format_usd(estimate.amount)} ({' + '.join(parts)}), over "
                f"the per-request spending limit {format_usd(budget.per_request_usd)}",
                "[budget] per_request_usd",
            )

    checks: list[tuple[Decimal | None, str, float, str | None, str]] = [
        (budget.daily_usd, "daily", spend.day_start(), None, "[budget] daily_usd"),
        (budget.monthly_usd, "monthly", spend.month_start(), None, "[budget] monthly_usd"),
        (provider_monthly, f"{provider_id} monthly", spend.month_start(), provider_id,
         f"[providers.{provider_id}] monthly_usd"),
    ]
    for limit, name, since, provider, setting in checks:
        if limit is None:
            continue
        spent = spend.total(store, since=since, provider=provider).amount
        when = "today" if name == "daily" else "this month"
        resets = "at midnight" if name == "daily" else "on the 1st of next month"
        if spent >= limit:
            return _refusal(
                f"{name} spending limit {format_usd(limit)} reached ({format_usd(spent)} spent "
                f"{when}); it resets {resets}",
                setting,
            )
        if expected and spent + expected > limit:
            return _refusal(
                f"{ref} could cost {format_usd(expected)}, which would pass the {name} "
                f"spending limit {format_usd(limit)} ({format_usd(spent)} spent {when})",
                setting,
            )
    return None
