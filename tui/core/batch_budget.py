"""Spending limits for a whole batch (`llmtui compare --runs N --prompts FILE`), before any send.

A batch is many requests started together, so checking each as it goes would let the first
ones through before the limit notices. Here every planned request is estimated as
llmtui.core.budget estimates one (prompt tokens at the input rate, plus `max_tokens` at the
output rate when set, plus any per-request fee), and:

- each must fit `[budget] per_request_usd`;
- all of them, plus what was already spent, must fit `daily_usd`, `monthly_usd` and each
  provider's `[providers.NAME] monthly_usd`;
- a limit already reached refuses the batch unless every request in it is free.

Each request is still checked again by its Exchange as it is sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core import spend
from llmtui.core.budget import prompt_tokens
from llmtui.core.pricing.cost import estimate_request, format_usd

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime
    from llmtui.providers.base import ChatRequest


@dataclass(frozen=True, slots=True)
class Planned:
    ref: str
    request: ChatRequest


def check_batch(runtime: Runtime, planned: Sequence[Planned]) -> str | None:
    """A refusal naming the limit the batch would pass, else None. Blocking (SQLite)."""
    budget = runtime.config.budget
    providers = {p.ref.partition("/")[0] for p in planned}
    if (budget.per_request_usd is None and budget.daily_usd is None
            and budget.monthly_usd is None
            and all(getattr(runtime.config.providers.get(prov), "monthly_usd", None) is None
                    for prov in providers)):
        return None
    per_provider: dict[str, Decimal] = defaultdict(Decimal)
    for p in planned:
        provider_id, _, model = p.ref.partition("/")
        cost = estimate_request(runtime.price(provider_id, model), prompt_tokens(p.request),
                                p.request.max_tokens)
        if cost.amount is not None and cost.amount == 0:
            continue  # free (demo, local, a zero price): never refused
        # An unknown price may still cost money: not free, though nothing can be added up.
        amount = cost.amount if cost.amount is not None else Decimal(0)
        if budget.per_request_usd is not None and amount > budget.per_request_usd:
            return (f"{p.ref} could cost {format_usd(amount)} per request, over the per-request "
                    f"spending limit {format_usd(budget.per_request_usd)}; lower --max-tokens, "
                    "or raise [budget] per_request_usd in config.toml")
        per_provider[provider_id] += amount
    if not per_provider:
        return None
    total = sum(per_provider.values(), Decimal(0))
    checks: list[tuple[Decimal | None, str, float, str | None, Decimal, str]] = [
        (budget.daily_usd, "daily", spend.day_start(), None, total, "[budget] daily_usd"),
        (budget.monthly_usd, "monthly", spend.month_start(), None, total, "[budget] monthly_usd"),
    ]
    for prov, amount in sorted(per_provider.items()):
        user = runtime.config.providers.get(prov)
        if user is not None and user.monthly_usd is not None:
            checks.append((user.monthly_usd, f"{prov} monthly", spend.month_start(), prov, amount,
                           f"[providers.{prov}] monthly_usd"))
    for limit, name, since, provider, expected, setting in checks:
        if limit is None:
            continue
        spent = spend.total(runtime.store, since=since, provider=provider).amount
        when = "today" if name == "daily" else "this month"
        if spent >= limit:
            return (f"{name} spending limit {format_usd(limit)} reached ({format_usd(spent)} "
                    f"spent {when}); raise {setting} in config.toml to run this batch")
        if spent + expected > limit:
            return (f"these {len(planned)} requests could cost {format_usd(expected)}, which "
                    f"would pass the {name} spending limit {format_usd(limit)} "
                    f"({format_usd(spent)} spent {when}); use fewer runs, prompts or models, "
                    f"lower --max-tokens, or raise {setting} in config.toml")
    return None

