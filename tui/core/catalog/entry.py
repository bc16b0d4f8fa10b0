"""One model as the catalog shows it, its JSON form, and search over entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from llmtui.core.catalog.cache import price_to_json
from llmtui.core.catalog.capabilities import UNKNOWN, Capabilities
from llmtui.providers.base import Price


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One model as the catalog shows it."""

    provider: str
    id: str
    context_length: int | None = None
    price: Price | None = None
    origin: str = "list"
    """list (fresh from the provider), cache, config, builtin."""
    fetched_at: float | None = None
    note: str = ""
    backends: tuple[CatalogEntry, ...] = ()
    """HF router: one entry per backend (`org/model:together`), each with its own price."""
    routes: tuple[str, ...] = ()
    """HF router: `org/model:cheapest`, `org/model:fastest`; OpenRouter `:nitro`, `:floor`."""
    caps: Capabilities = UNKNOWN
    """Takes images, reasons, calls tools: where a source says (capabilities.py)."""
    max_output_tokens: int | None = None
    input_modalities: tuple[str, ...] = ()
    """What the model reads besides text (`image`, `file`), where its list says."""
    supported_parameters: tuple[str, ...] = ()
    """Request fields it honours (`tools`, `reasoning`), where its list says."""

    @property
    def ref(self) -> str:
        return f"{self.provider}/{self.id}"

    def as_json(self) -> dict[str, Any]:
        price = self.price
        data: dict[str, Any] = {
            "ref": self.ref,
            "provider": self.provider,
            "id": self.id,
            "context_length": self.context_length,
            "input_per_1m": _num(price.input) if price else None,
            "output_per_1m": _num(price.output) if price else None,
            "cached_input_per_1m": _num(price.cached_input) if price else None,
            "cache_write_per_1m": _num(price.cache_write) if price else None,
            "per_second": _num(price.per_second) if price else None,
            "per_request": _num(price.per_request) if price else None,
            "price_tiers": [
                {"above_input_tokens": t.above_input_tokens, "input_per_1m": _num(t.input),
                 "output_per_1m": _num(t.output)} for t in price.tiers
            ] if price and price.tiers else [],
            "price": price_to_json(price),
            "price_source": price.source if price else None,
            "price_as_of": (price.as_of or None) if price else None,
            "origin": self.origin,
            "fetched_at": self.fetched_at,
            "note": self.note or None,
            "capabilities": self.caps.as_json(),
            "max_output_tokens": self.max_output_tokens,
            "input_modalities": list(self.input_modalities),
            "supported_parameters": list(self.supported_parameters),
        }
        if self.backends or self.routes:
            data["backends"] = [b.as_json() for b in self.backends]
            data["routes"] = [f"{self.provider}/{r}" for r in self.routes]
        return data


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- cache format


def search(entries: Iterable[CatalogEntry], text: str) -> list[CatalogEntry]:
    """Entries whose reference or note contains every word of `text` (case-insensitive)."""
    words = text.lower().split()
    out = []
    for entry in entries:
        hay = " ".join([entry.ref, entry.note, *(b.id for b in entry.backends)]).lower()
        if all(w in hay for w in words):
            out.append(entry)
    return out
