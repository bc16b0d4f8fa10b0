"""`llmtui spend`: totals from the spend ledger, by provider, model, day, month or conversation."""

from __future__ import annotations

import argparse
import json
from typing import Any

from llmtui.cli.common import CliExit, load_config_or_exit, store_or_exit


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", choices=("provider", "model", "day", "month", "conversation"),
                   default="provider", help="how to group the totals (default: provider)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        return _spend(args)
    except CliExit as exc:
        return exc.code


def _spend(args: argparse.Namespace) -> int:
    from llmtui.core import spend
    from llmtui.core.pricing.cost import format_usd

    config = load_config_or_exit()
    store = store_or_exit()
    try:
        everything = spend.rows(store)
        today_start, month_start = spend.day_start(), spend.month_start()
        today = spend.sum_rows("today", [r for r in everything if r.created_at >= today_start])
        month = spend.sum_rows("month", [r for r in everything if r.created_at >= month_start])
        overall = spend.sum_rows("total", everything)
        groups = spend.group(everything, args.by)
    finally:
        store.close()
    budget = config.budget
    if args.json:
        def row(t: spend.SpendTotal) -> dict[str, Any]:
            return {"key": t.key, "cost_usd": float(t.amount), "cost_usd_exact": str(t.amount),
                    "requests": t.requests, "unknown_cost": t.unknown, "estimated": t.estimated,
                    "in_flight": t.in_flight, "lost": t.lost}

        print(json.dumps({
            "by": args.by,
            "today_usd": float(today.amount),
            "month_usd": float(month.amount),
            "total_usd": float(overall.amount),
            "requests": overall.requests,
            "unknown_cost": overall.unknown,
            "in_flight": overall.in_flight,
            "lost": overall.lost,
            "limits": {
                "per_request_usd": _f(budget.per_request_usd),
                "daily_usd": _f(budget.daily_usd),
                "monthly_usd": _f(budget.monthly_usd),
            },
            "rows": [row(t) for t in groups],
        }))
        return 0

    def line(label: str, t: spend.SpendTotal, limit: Any = None) -> str:
        mark = "~" if t.estimated else ""
        text = f"{label:<12} {mark}{format_usd(t.amount):>12}  {_requests(t.requests)}"
        if t.unknown:
            text += f" ({t.unknown} with unknown cost)"
        if t.in_flight or t.lost:
            parts = [f"{n} {what}" for n, what in ((t.in_flight, "in flight"),
                     (t.lost, "cut off before usage arrived")) if n]
            text += f" ({', '.join(parts)}: counted at their worst case)"
        if limit is not None:
            text += f"  limit {format_usd(limit)}"
        return text

    print(line("today", today, budget.daily_usd))
    print(line("this month", month, budget.monthly_usd))
    print(line("all time", overall))
    if groups:
        print()
        width = max(len(t.key) for t in groups)
        for t in groups:
            mark = "~" if t.estimated else ""
            extra = f" ({t.unknown} unknown)" if t.unknown else ""
            print(f"{t.key:<{width}}  {mark}{format_usd(t.amount):>12}  {_requests(t.requests)}{extra}")
    return 0


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _requests(n: int) -> str:
    return f"{n} request{'s' * (n != 1)}"
