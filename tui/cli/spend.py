"""`llmtui spend`: totals from the spend ledger, by provider, model, day, month or conversation."""

from __future__ import annotations

import argparse
from typing import Any

from llmtui.cli.common import CliExit, load_config_or_exit, store_or_exit
from llmtui.cli.table import table
from llmtui.sanitize import json_dumps


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
        everything = store.charges()  # every charge, oldest first
        today_start, month_start = spend.day_start(), spend.month_start()
        today = spend.sum_rows("today", [r for r in everything if r.created_at >= today_start])
        month = spend.sum_rows("month", [r for r in everything if r.created_at >= month_start])
        overall = spend.sum_rows("total", everything)
        groups = spend.group(everything, args.by)
        titles = _titles(store, groups) if args.by == "conversation" else {}
    finally:
        store.close()
    budget = config.budget
    if args.json:
        def row(t: spend.SpendTotal) -> dict[str, Any]:
            title = {"title": titles[t.key]} if t.key in titles else {}
            return {"key": t.key, **title, "cost_usd": float(t.amount), "cost_usd_exact": str(t.amount),
                    "requests": t.requests, "unknown_cost": t.unknown, "estimated": t.estimated,
                    "in_flight": t.in_flight, "lost": t.lost}

        print(json_dumps({
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

    def cost(t: spend.SpendTotal) -> str:
        return ("~" if t.estimated else "") + format_usd(t.amount)  # the mark sits on the amount

    def line(label: str, t: spend.SpendTotal, limit: Any = None) -> str:
        text = f"{label:<12} {cost(t):>12}  {_requests(t.requests)}"
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
        named = args.by == "conversation"
        head = ["ID", "TITLE"] if named else [args.by.upper()]
        rows = [[t.key, *([_cut(titles[t.key])] if named else []), cost(t),
                 _requests(t.requests) + (f" ({t.unknown} unknown)" if t.unknown else "")]
                for t in groups]
        for text in table([*head, "COST", "REQUESTS"], rows, align="rlrl" if named else "lrl"):
            print(text)
    if overall.estimated:
        print("\n~ estimated: the provider reported no usage (tokens were counted here) "
              "or the price is a guess")
    return 0


TITLE_WIDTH = 40
"""A conversation's title in the table, cut to this (an 80-column terminal keeps one row a line)."""


def _titles(store: Any, groups: list[Any]) -> dict[str, str]:
    """Conversation id -> its title now (the spend outlives a deleted conversation)."""
    titles = {}
    for t in groups:
        found = store.conversation(int(t.key)) if t.key.isdigit() else None
        titles[t.key] = (" ".join(found.title.split()) if found
                         else "(deleted)" if t.key.isdigit() else "(none)")
    return titles


def _cut(title: str) -> str:
    return title if len(title) <= TITLE_WIDTH else title[:TITLE_WIDTH - 1] + "…"


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _requests(n: int) -> str:
    return f"{n} request{'s' * (n != 1)}"
