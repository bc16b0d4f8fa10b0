"""genai-prices' answers kept small on disk, so most launches never load its data.

genai-prices ships its data as one Python module that costs ~17 MiB of memory and ~0.3 s
to load, and llmtui asks it about few models: the catalog's rows (context length, price)
and each answer's cost. Each answer it gives is appended here, one JSON line per
(provider, model) asked, in a file named for genai-prices' version; later lookups, in this
process and the next ones, read the line instead. A new version of genai-prices starts a
new file, so the figures are always that version's.

A line keeps everything genai-prices' answer depends on: the model's context window and
each of its prices with the condition that selects it (from a start date, or during a
daily time window, e.g. off-peak), so the price for any moment is the one genai-prices
gives for it (`Entry.price_at` follows `ModelInfo.get_prices`; tests/core/pricing checks
every model it knows, at several moments).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmtui.providers.base import Price, PriceTier

MISSING = object()
"""`PriceTable.get`: never asked (unlike None: asked, and genai-prices has no such model)."""


@dataclass(frozen=True, slots=True)
class Conditional:
    """One of a model's prices and when it applies: always (no condition), from
    `start_date` (UTC), or each day from `start_time` until `end_time`."""

    price: Price | None
    start_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None

    def active(self, when: datetime) -> bool:
        """As genai-prices' StartDateConstraint / TimeOfDateConstraint.active decide."""
        if self.start_date is not None:
            moment = when.astimezone(UTC) if when.tzinfo is not None else when
            return moment.date() >= self.start_date
        if self.start_time is None or self.end_time is None:
            return True
        moment = (when if when.tzinfo is not None else when.replace(tzinfo=UTC)).astimezone(UTC)
        now, start, end = moment.timetz(), _utc_time(self.start_time), _utc_time(self.end_time)
        if end < start:  # the window crosses midnight
            return now >= start or now < end
        return start <= now < end


def _utc_time(value: time) -> time:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return datetime.combine(date(1970, 1, 1), value).astimezone(UTC).timetz()


@dataclass(frozen=True, slots=True)
class Entry:
    """What genai-prices knows of one model."""

    context_window: int | None
    prices: tuple[Conditional, ...]

    def price_at(self, when: datetime, source: str) -> Price | None:
        """The price at `when`: the last of its prices whose condition holds, else the first
        (dated from that condition's start date, if it has one)."""
        if not self.prices:
            return None
        chosen, as_of = self.prices[0], ""
        for conditional in reversed(self.prices):
            if conditional.active(when):
                chosen = conditional
                as_of = conditional.start_date.isoformat() if conditional.start_date else ""
                break
        if chosen.price is None:
            return None
        return replace(chosen.price, source=source, as_of=as_of)


class PriceTable:
    """The lookups of one genai-prices version, from and to its JSON-lines file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[tuple[str, str], Entry | None] = {}
        self._lock = threading.Lock()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        for line in lines:
            try:
                row = json.loads(line)
                self._entries[(row["p"], row["m"])] = _entry(row["e"])
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash, or written by someone else: asked again

    def get(self, provider: str, model: str) -> Entry | None | object:
        return self._entries.get((provider, model), MISSING)

    def put(self, provider: str, model: str, entry: Entry | None) -> None:
        """Keep the answer, and append it to the file (one short write: two llmtui processes
        appending at once do not interleave). A file that cannot be written is only a cache."""
        with self._lock:
            if self._entries.get((provider, model), MISSING) is not MISSING:
                return
            self._entries[(provider, model)] = entry
            line = json.dumps({"p": provider, "m": model, "e": _row(entry)}, separators=(",", ":"))
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, (line + "\n").encode())
                finally:
                    os.close(fd)
            except OSError:
                pass


def _row(entry: Entry | None) -> Any:
    if entry is None:
        return None
    return {"ctx": entry.context_window, "prices": [
        {"price": _price_row(c.price),
         "start_date": c.start_date.isoformat() if c.start_date else None,
         "start_time": c.start_time.isoformat() if c.start_time else None,
         "end_time": c.end_time.isoformat() if c.end_time else None}
        for c in entry.prices]}


def _entry(row: Any) -> Entry | None:
    if row is None:
        return None
    ctx = row["ctx"]
    return Entry(ctx if isinstance(ctx, int) else None, tuple(
        Conditional(_price(c["price"]),
                    date.fromisoformat(c["start_date"]) if c["start_date"] else None,
                    time.fromisoformat(c["start_time"]) if c["start_time"] else None,
                    time.fromisoformat(c["end_time"]) if c["end_time"] else None)
        for c in row["prices"]))


_RATES = ("input", "output", "cached_input", "cache_write", "per_second", "per_request")
_TIER_RATES = tuple(f.name for f in fields(PriceTier) if f.name != "above_input_tokens")


def _price_row(price: Price | None) -> Any:
    if price is None:
        return None
    row: dict[str, Any] = {name: _text(getattr(price, name)) for name in _RATES}
    row["tiers"] = [{"above": t.above_input_tokens, **{n: _text(getattr(t, n)) for n in _TIER_RATES}}
                    for t in price.tiers]
    return row


def _price(row: Any) -> Price | None:
    if row is None:
        return None
    tiers = tuple(PriceTier(int(t["above"]), **{n: _decimal(t[n]) for n in _TIER_RATES})
                  for t in row["tiers"])
    return Price(input=_decimal(row["input"]), output=_decimal(row["output"]),
                 cached_input=_decimal(row["cached_input"]), cache_write=_decimal(row["cache_write"]),
                 per_second=_decimal(row["per_second"]), per_request=_decimal(row["per_request"]),
                 tiers=tiers)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
