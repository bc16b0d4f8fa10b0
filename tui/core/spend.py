"""What has been spent: totals per conversation, day, month, provider and model.

Every answer's cost is stored with it (messages.cost_usd, a Decimal as text, NULL
when unknown); these are sums over those rows, in Decimal. Days and months are
local time, as a user thinks of "today".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmtui.core.store import Store

GROUPS = ("provider", "model", "day", "month", "conversation")


@dataclass(frozen=True, slots=True)
class SpendRow:
    """One answer's cost."""

    created_at: float
    conversation_id: int
    model: str
    cost: Decimal | None
    estimated: bool

    @property
    def provider(self) -> str:
        return self.model.split("/", 1)[0]

    def key(self, by: str) -> str:
        if by == "provider":
            return self.provider
        if by == "model":
            return self.model
        when = datetime.fromtimestamp(self.created_at)
        if by == "day":
            return when.date().isoformat()
        if by == "month":
            return f"{when.year:04d}-{when.month:02d}"
        if by == "conversation":
            return str(self.conversation_id)
        raise ValueError(f"cannot group spend by {by!r} (one of {', '.join(GROUPS)})")


@dataclass(frozen=True, slots=True)
class SpendTotal:
    """A sum of costs; `unknown` counts answers whose cost could not be known."""

    key: str
    amount: Decimal
    requests: int
    unknown: int = 0
    estimated: bool = False


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
) -> list[SpendRow]:
    """Every answer (assistant message) in the window, oldest first.

    An answer that failed before any text arrived was not billed, whatever estimate
    was stored with it, so it counts as zero.
    """
    return [SpendRow(*row) for row in store.spend_rows(
        since=since, until=until, provider=provider, conversation_id=conversation_id)]


def sum_rows(key: str, items: list[SpendRow]) -> SpendTotal:
    amount = sum((r.cost for r in items if r.cost is not None), Decimal(0))
    unknown = sum(1 for r in items if r.cost is None)
    return SpendTotal(key, amount, len(items), unknown, any(r.estimated for r in items))


def total(
    store: Store,
    *,
    since: float | None = None,
    until: float | None = None,
    provider: str | None = None,
    conversation_id: int | None = None,
) -> SpendTotal:
    """The sum over a window (optionally one provider or one conversation)."""
    items = rows(store, since=since, until=until, provider=provider,
                 conversation_id=conversation_id)
    return sum_rows(provider or "total", items)


def group(items: list[SpendRow], by: str) -> list[SpendTotal]:
    """Totals per key; days and months in time order, the rest most expensive first."""
    buckets: dict[str, list[SpendRow]] = {}
    for row in items:
        buckets.setdefault(row.key(by), []).append(row)
    totals = [sum_rows(key, group_rows) for key, group_rows in buckets.items()]
    if by in ("day", "month"):
        return sorted(totals, key=lambda t: t.key)
    return sorted(totals, key=lambda t: (-t.amount, t.key))


def totals_by(
    store: Store, by: str, *, since: float | None = None, until: float | None = None
) -> list[SpendTotal]:
    if by not in GROUPS:
        raise ValueError(f"cannot group spend by {by!r} (one of {', '.join(GROUPS)})")
    return group(rows(store, since=since, until=until), by)
