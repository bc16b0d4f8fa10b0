"""What has been spent: totals per conversation, day, month, provider and model.

Sums over the spend ledger (llmtui.core.ledger), in Decimal: one charge per request
that left the machine, which outlives the conversation it came from. A charge still
in flight, or lost with its process, counts at its reserved worst case. Days and
months are local time, as a user thinks of "today".
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from llmtui.core.ledger import Charge, LedgerSum, sum_charges

if TYPE_CHECKING:
    from llmtui.core.store import Store

GROUPS = ("provider", "model", "day", "month", "conversation")

SpendRow = Charge
SpendTotal = LedgerSum
sum_rows = sum_charges


def day_start(now: datetime | None = None) -> float:
    """Local midnight today, as a Unix time."""
    now = now or datetime.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def month_start(now: datetime | None = None) -> float:
    """Local midnight on the first of this month, as a Unix time."""
    now = now or datetime.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()


def rows(
    store: Store,
    *,
    since: float | None = None,
    until: float | None = None,
    provider: str | None = None,
    conversation_id: int | None = None,
) -> list[Charge]:
    """Every charge in the window, oldest first."""
    return store.charges(since=since, until=until, provider=provider,
                         conversation_id=conversation_id)


def total(
    store: Store,
    *,
    since: float | None = None,
    until: float | None = None,
    provider: str | None = None,
    conversation_id: int | None = None,
) -> LedgerSum:
    """The sum over a window (optionally one provider or one conversation)."""
    items = rows(store, since=since, until=until, provider=provider,
                 conversation_id=conversation_id)
    return sum_charges(provider or "total", items)


def key(charge: Charge, by: str) -> str:
    if by == "provider":
        return charge.provider
    if by == "model":
        return charge.model
    when = datetime.fromtimestamp(charge.created_at)
    if by == "day":
        return when.date().isoformat()
    if by == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if by == "conversation":
        return "-" if charge.conversation_id is None else str(charge.conversation_id)
    raise ValueError(f"cannot group spend by {by!r} (one of {', '.join(GROUPS)})")


def group(items: list[Charge], by: str) -> list[LedgerSum]:
    """Totals per key; days and months in time order, the rest most expensive first."""
    buckets: dict[str, list[Charge]] = {}
    for row in items:
        buckets.setdefault(key(row, by), []).append(row)
    totals = [sum_charges(k, group_rows) for k, group_rows in buckets.items()]
    if by in ("day", "month"):
        return sorted(totals, key=lambda t: t.key)
    return sorted(totals, key=lambda t: (-t.amount, *_in_order(t.key)))


def _in_order(k: str) -> tuple[int, int, str]:
    """Equal totals by key: conversation ids as numbers (2 before 10), then text, "-" last."""
    if k.isdigit():
        return (0, int(k), "")
    return (2 if k == "-" else 1, 0, k)


def totals_by(
    store: Store, by: str, *, since: float | None = None, until: float | None = None
) -> list[LedgerSum]:
    if by not in GROUPS:
        raise ValueError(f"cannot group spend by {by!r} (one of {', '.join(GROUPS)})")
    return group(rows(store, since=since, until=until), by)
