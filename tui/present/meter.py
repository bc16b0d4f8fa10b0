"""Spend totals for the cost meter: today, this month, per provider, budget bars.

Sums come from llmtui.core.spend (the costs recorded with each answer).
Blocking (SQLite): call in a thread.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core.pricing.cost import format_usd
from llmtui.widgets.cost_meter import BudgetBar

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime


def spend_totals(runtime: Runtime) -> tuple[Decimal, Decimal, dict[str, Decimal]]:
    """(today, this month, per provider this month)."""
    from llmtui.core import spend

    store = runtime.store
    today = spend.total(store, since=spend.day_start()).amount
    month = spend.total(store, since=spend.month_start()).amount
    per = {t.key: t.amount for t in spend.totals_by(store, "provider", since=spend.month_start())}
    return today, month, per


def budget_bars(runtime: Runtime, today: Decimal, month: Decimal,
                per: dict[str, Decimal]) -> list[BudgetBar]:
    budget = runtime.config.budget
    bars = []
    if budget.daily_usd is not None:
        bars.append(BudgetBar("today", float(today), float(budget.daily_usd),
                              format_usd(budget.daily_usd), format_usd(today)))
    if budget.monthly_usd is not None:
        bars.append(BudgetBar("month", float(month), float(budget.monthly_usd),
                              format_usd(budget.monthly_usd), format_usd(month)))
    for pid, pc in runtime.config.providers.items():
        if pc.monthly_usd is not None:
            spent = per.get(pid, Decimal(0))
            bars.append(BudgetBar(pid, float(spent), float(pc.monthly_usd),
                                  format_usd(pc.monthly_usd), format_usd(spent)))
    return bars


def collect(runtime: Runtime) -> tuple[str, str, list[tuple[str, str]], list[BudgetBar]]:
    """Formatted (today, month, per provider, budget bars)."""
    today, month, per = spend_totals(runtime)
    per_rows = sorted(per.items(), key=lambda kv: -kv[1])
    return (format_usd(today), format_usd(month),
            [(pid, format_usd(v)) for pid, v in per_rows], budget_bars(runtime, today, month, per))
