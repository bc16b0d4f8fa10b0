"""The catalog pane's rows: core catalog entries (plus a running Ollama and each keyless
provider's starter model) -> the plain CatalogRow the widget draws. Runs in workers."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from llmtui.core.catalog.build import cached_catalog, load_catalog
from llmtui.core.catalog.capabilities import capabilities
from llmtui.core.catalog.discover import ollama_models
from llmtui.core.catalog.entry import CatalogEntry
from llmtui.core.keys import key_states
from llmtui.core.starter import STARTER_MODELS
from llmtui.providers.base import ModelInfo
from llmtui.widgets.model_catalog import CatalogRow

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

# Models that run here first, after the providers with a key.
LOCAL_FIRST = ("demo", "local", "ollama")


def per_million(value: Decimal | None) -> str | None:
    """A price per 1M tokens, one way for every row: cents from $0.10 up (`$0.69`, `$15.00`),
    two significant digits below (`$0.047`, `$0.0001`), `$0` for free."""
    if value is None:
        return None
    if value == 0:
        return "$0"
    if value >= Decimal("0.1"):
        return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    digits = -value.adjusted() + 1
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"${rounded:f}".rstrip("0")


def _row(entry: CatalogEntry, has_key: bool, label: str) -> CatalogRow:
    price = entry.price
    return CatalogRow(
        ref=entry.ref, provider=entry.provider, provider_label=label, model=entry.id,
        price_in=per_million(price.input) if price else None,
        price_out=per_million(price.output) if price else None,
        context=entry.context_length, has_key=has_key, note=entry.note, badges=entry.caps.badges(),
    )


def rows_for(entry: CatalogEntry, has_key: bool, label: str = "") -> list[CatalogRow]:
    """The entry's row, then (HF router) its :cheapest / :fastest routes and each backend
    with its own price."""
    label = label or entry.provider
    row = _row(entry, has_key, label)
    rows = [row]
    rows += [replace(row, ref=f"{entry.provider}/{route}", model=f"  ↳ :{route.rpartition(':')[2]}",
                     price_in=None, price_out=None, note="route") for route in entry.routes]
    rows += [replace(_row(backend, has_key, label), model=f"  ↳ :{backend.id.rpartition(':')[2]}")
             for backend in entry.backends]
    return rows


def _entry(info: ModelInfo, origin: str) -> CatalogEntry:
    return CatalogEntry(info.provider, info.id, info.context_length, info.price, origin, note=info.note)


async def load_entries(runtime: Runtime, refresh: bool = False) -> list[CatalogRow]:
    """The whole catalog (provider list endpoints, prices), a running Ollama, starter rows."""
    entries = await load_catalog(runtime, refresh=refresh)
    found = await ollama_models(runtime)
    return await _rows(runtime, entries + [_entry(m, "list") for m in found])


async def cached_entries(runtime: Runtime) -> list[CatalogRow]:
    """Last session's catalog from the store, at once (no network); empty if unknown."""
    return await _rows(runtime, await asyncio.to_thread(cached_catalog, runtime))


async def _rows(runtime: Runtime, entries: list[CatalogEntry]) -> list[CatalogRow]:
    unique: dict[str, CatalogEntry] = {}
    for entry in entries:
        unique.setdefault(entry.ref, entry)
    entries = list(unique.values())
    # Providers the catalog could not list (no key yet) still show their starter model,
    # marked "no key", so a new user sees what adding a key would unlock.
    listed = {e.provider for e in entries}
    entries += [CatalogEntry(pid, model, origin="starter", note="add a key to list more",
                             caps=capabilities(pid, runtime.spec(pid).kind, model))
                for pid, ref in STARTER_MODELS.items() if pid not in listed
                for model in [ref.partition("/")[2]]]
    providers = list(dict.fromkeys(e.provider for e in entries))
    keys = await asyncio.to_thread(key_states, runtime, providers)
    order = {pid: i for i, pid in enumerate(LOCAL_FIRST)}
    entries.sort(key=lambda e: (not keys.get(e.provider, False), order.get(e.provider, 9), e.provider))
    labels = {pid: runtime.config.provider_spec(pid).display_name
              for pid in providers if pid in runtime.config.provider_ids()}
    rows: list[CatalogRow] = []
    for entry in entries:
        rows += rows_for(entry, keys.get(entry.provider, False), labels.get(entry.provider, ""))
    return rows
