"""Rows for the catalog pane: from llmtui.core.catalog when present, else a built-in fallback.

The fallback lists demo/local models, configured models, each provider's starter
model, and a running local Ollama, so the pane is never empty. Runs in workers.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from llmtui.core.pricing.cost import format_usd
from llmtui.providers.base import ModelInfo, Price
from llmtui.widgets.model_catalog import CatalogEntry

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

OLLAMA_URL = "http://localhost:11434"


def _usd(value: Decimal | None) -> str | None:
    return None if value is None else format_usd(value)


def entry_for(runtime: Runtime, info: Any, has_key: bool) -> CatalogEntry:
    """A catalog row from a ModelInfo or an llmtui.core.catalog entry (same attribute names)."""
    try:
        label = runtime.spec(info.provider).display_name
    except Exception:  # noqa: BLE001 - a model from an unknown provider still shows
        label = info.provider
    price: Price | None = info.price
    return CatalogEntry(
        ref=info.ref, provider=info.provider, provider_label=label, model=info.id,
        price_in=_usd(price.input) if price else None,
        price_out=_usd(price.output) if price else None,
        context=info.context_length, has_key=has_key, note=info.note,
    )


async def detect_ollama(runtime: Runtime) -> list[ModelInfo]:
    """Models of a running local Ollama (short timeout; nothing if it is not there)."""
    import httpx

    try:
        base = runtime.spec("ollama").base_url.removesuffix("/v1") or OLLAMA_URL
    except Exception:  # noqa: BLE001
        base = OLLAMA_URL
    try:
        response = await runtime.client().get(f"{base}/api/tags", timeout=httpx.Timeout(0.6))
        data: Any = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        return []
    free = Price(input=Decimal(0), output=Decimal(0), source="runs locally, free")
    return [
        ModelInfo(id=str(m.get("name") or m.get("model")), provider="ollama", price=free,
                  note="local Ollama")
        for m in data.get("models", []) if isinstance(m, dict) and (m.get("name") or m.get("model"))
    ]


async def fallback_models(runtime: Runtime) -> list[ModelInfo]:
    from llmtui.core.starter import STARTER_MODELS, local_model_available

    models: list[ModelInfo] = []
    for pid in ("demo",) + (("local",) if local_model_available() else ()):
        try:
            models += await runtime.provider(pid, None).list_models()
        except Exception:  # noqa: BLE001 - the local extra may be half installed
            pass
    seen = {m.ref for m in models}
    refs = [f"{pid}/{m}" for pid, pc in runtime.config.providers.items() for m in pc.models]
    refs += list(STARTER_MODELS.values())
    for ref in refs:
        if ref not in seen:
            pid, _, model = ref.partition("/")
            price = await asyncio.to_thread(runtime.price, pid, model)
            models.append(ModelInfo(id=model, provider=pid, price=price))
            seen.add(ref)
    return models


async def load_entries(runtime: Runtime, refresh: bool = False) -> list[CatalogEntry]:
    """Catalog rows; `llmtui.core.catalog` (provider list endpoints, prices) when installed."""
    models: list[Any]
    try:
        from llmtui.core.catalog import load_catalog
    except ImportError:
        models = await fallback_models(runtime)
    else:
        models = list(await load_catalog(runtime, refresh=refresh))
    return await _finish(runtime, models)


async def cached_entries(runtime: Runtime) -> list[CatalogEntry]:
    """Last session's catalog from the store, at once (no network); empty if unknown."""
    try:
        from llmtui.core.catalog import cached_catalog
    except ImportError:
        return []
    models = await asyncio.to_thread(cached_catalog, runtime)
    return await _finish(runtime, list(models), ollama=False)


async def _finish(runtime: Runtime, models: list[Any], ollama: bool = True) -> list[CatalogEntry]:
    from llmtui.core.starter import STARTER_MODELS

    found = await detect_ollama(runtime) if ollama else []
    known = {m.ref for m in models}
    models += [m for m in found if m.ref not in known]
    # Providers the catalog could not list (no key yet) still show their starter model,
    # marked "no key", so a new user sees what adding a key would unlock.
    listed = {m.provider for m in models}
    models += [ModelInfo(id=ref.partition("/")[2], provider=pid, note="add a key to list more")
               for pid, ref in STARTER_MODELS.items() if pid not in listed]
    providers = list(dict.fromkeys(m.provider for m in models))
    from llmtui.core.keys import key_states

    keys = await asyncio.to_thread(key_states, runtime, providers)
    order = {pid: i for i, pid in enumerate(("demo", "local", "ollama"))}
    models.sort(key=lambda m: (not keys.get(m.provider, False), order.get(m.provider, 9), m.provider))
    rows: list[CatalogEntry] = []
    for m in models:
        has_key = keys.get(m.provider, False)
        rows.append(entry_for(runtime, m, has_key))
        # HF router: the :cheapest / :fastest routes, then each backend with its own price.
        for route in getattr(m, "routes", ()):
            rows.append(replace(entry_for(runtime, m, has_key), ref=f"{m.provider}/{route}",
                                model=f"  ↳ :{route.rpartition(':')[2]}", price_in=None,
                                price_out=None, note="route"))
        for backend in getattr(m, "backends", ()):
            row = entry_for(runtime, backend, has_key)
            rows.append(replace(row, model=f"  ↳ :{backend.id.rpartition(':')[2]}"))
    return rows
