"""The catalog's entries: each provider's models with prices and context lengths, the HF
router's routes and backends, and the models that list with no network."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from llmtui.core.catalog.cache import cached_listing
from llmtui.core.catalog.capabilities import capabilities
from llmtui.core.catalog.discover import builtin_models, discover, wants_discovery
from llmtui.core.catalog.entry import CatalogEntry
from llmtui.core.pricing.genai import genai_context_length
from llmtui.core.pricing.lookup import config_price, lookup_price
from llmtui.providers.base import ModelInfo, Price

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

NOT_CHAT = {"image", "embedding", "moderation", "rerank", "audio", "transcribe", "video"}
HF_ROUTE_SUFFIXES = ("cheapest", "fastest")
OPENROUTER_ROUTE_SUFFIXES = ("nitro", "floor")
"""OpenRouter: `:nitro` the fastest provider, `:floor` the cheapest (`:free` ids are listed)."""
DEMO_CONTEXT = 8192  # what the demo provider's own list says


def _entries_for(
    runtime: Runtime,
    provider: str,
    models: Mapping[str, ModelInfo],
    origin: str,
    fetched_at: float | None,
    bundled: bool,
) -> list[CatalogEntry]:
    def price_of(model_id: str, listed: Price | None) -> Price | None:
        if bundled:
            return lookup_price(runtime.config, provider, model_id, listed=listed)
        return config_price(runtime.config, provider, model_id) or listed

    def context_of(model_id: str, listed: int | None) -> int | None:
        if runtime.spec(provider).kind == "demo":
            return DEMO_CONTEXT
        if listed or not bundled:
            return listed
        return genai_context_length(provider, model_id)

    kind = runtime.spec(provider).kind
    entries: list[CatalogEntry] = []
    for info in models.values():
        if info.note in NOT_CHAT:
            continue
        backends = tuple(
            CatalogEntry(provider, b.id, b.context_length, price_of(b.id, b.price), origin,
                         fetched_at, b.note)
            for b in info.backends
        )
        routes: tuple[str, ...] = ()
        price = price_of(info.id, info.price)
        if backends:
            routes = tuple(f"{info.id}:{r}" for r in HF_ROUTE_SUFFIXES)
            if price is None or price.input is None:
                price = _cheapest(backends) or price
        elif provider == "openrouter" and ":" not in info.id and info.id != "openrouter/auto":
            routes = tuple(f"{info.id}:{r}" for r in OPENROUTER_ROUTE_SUFFIXES)
        entries.append(
            CatalogEntry(provider, info.id, context_of(info.id, info.context_length), price,
                         origin, fetched_at, info.note, backends, routes,
                         capabilities(provider, kind, info.id, info.input_modalities,
                                      info.supported_parameters), info.max_output_tokens,
                         info.input_modalities, info.supported_parameters)
        )
    listed_ids = set(models)
    for name in builtin_models(runtime, provider):
        if name in listed_ids:
            continue
        entries.append(
            CatalogEntry(provider, name, context_of(name, None), price_of(name, None),
                         "builtin" if runtime.spec(provider).runs_locally else "config",
                         None, "simulated, no model is called" if provider == "demo" else "",
                         caps=capabilities(provider, kind, name))
        )
    return entries


def _cheapest(backends: Iterable[CatalogEntry]) -> Price | None:
    priced = [b.price for b in backends if b.price is not None and b.price.input is not None]
    if not priced:
        return None
    best = min(priced, key=lambda p: (p.input or 0) + (p.output or 0))
    return replace(best, source=f"{best.source} (cheapest backend)")


def _provider_order(runtime: Runtime, only: Iterable[str] | None) -> list[str]:
    ids = runtime.config.provider_ids()
    if only is not None:
        wanted = list(only)
        for pid in wanted:
            runtime.spec(pid)  # raises ConfigError for an unknown provider
        return [pid for pid in wanted]
    return ids


def cached_catalog(
    runtime: Runtime, *, providers: Iterable[str] | None = None, bundled_prices: bool = False
) -> list[CatalogEntry]:
    """What the catalog held last time, instantly: no network, no keyring.

    With `bundled_prices=False` (the default, for the first paint) genai-prices is not
    imported, so models without a listed or configured price show none yet.
    """
    entries: list[CatalogEntry] = []
    for provider in _provider_order(runtime, providers):
        listing = cached_listing(runtime, provider) if wants_discovery(runtime, provider) else None
        fetched_at, models = listing if listing else (None, {})
        entries += _entries_for(runtime, provider, models, "cache", fetched_at, bundled_prices)
    return entries


async def load_catalog(
    runtime: Runtime,
    refresh: bool = False,
    *,
    providers: Iterable[str] | None = None,
    problems: list[str] | None = None,
) -> list[CatalogEntry]:
    """Discover models from every provider with a key (cache first, a day at most),
    merge prices, and return the whole catalog. Failures go to `problems`."""
    problems = problems if problems is not None else []
    order = _provider_order(runtime, providers)
    listable = [p for p in order if wants_discovery(runtime, p)]
    results = await asyncio.gather(*(discover(runtime, p, refresh, problems) for p in listable))
    found = dict(zip(listable, results, strict=True))

    def build() -> list[CatalogEntry]:
        entries: list[CatalogEntry] = []
        for provider in order:
            fetched_at, models, origin = found.get(provider, (None, {}, "builtin"))
            entries += _entries_for(runtime, provider, models, origin, fetched_at, True)
        return entries

    # Price data (genai-prices) is imported and searched off the event loop.
    return await asyncio.to_thread(build)
