"""The model catalog: every model llmtui can call, with context length and price.

Models come from each provider's own list endpoint (only for providers with a key),
cached in the store for a day; models named in config, the demo and local models
always list. Prices follow tui/prices.py's precedence. No Textual here: the TUI calls
`cached_catalog()` for an instant first paint and `load_catalog()` from a worker.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from llmtui.providers.base import ModelInfo, Price, PriceTier
from llmtui.providers.boundary import clean_model

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

MAX_AGE_S = 24 * 3600
CACHE_FORMAT = 1
FETCH_TIMEOUT_S = 20.0
NOT_CHAT = {"image", "embedding", "moderation", "rerank", "audio", "transcribe", "video"}
HF_ROUTE_SUFFIXES = ("cheapest", "fastest")
DEMO_CONTEXT = 8192  # what the demo provider's own list says


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
    """HF router: `org/model:cheapest`, `org/model:fastest`."""

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
        }
        if self.backends or self.routes:
            data["backends"] = [b.as_json() for b in self.backends]
            data["routes"] = [f"{self.provider}/{r}" for r in self.routes]
        return data


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- cache format


def price_to_json(price: Price | None) -> dict[str, Any] | None:
    if price is None:
        return None
    data: dict[str, Any] = {}
    for name in ("input", "output", "cached_input", "cache_write", "per_second", "per_request"):
        value = getattr(price, name)
        if value is not None:
            data[name] = str(value)
    data["source"] = price.source
    data["as_of"] = price.as_of
    if price.tiers:
        data["tiers"] = [
            {k: (str(v) if isinstance(v, Decimal) else v)
             for k, v in (("above_input_tokens", t.above_input_tokens), ("input", t.input),
                          ("output", t.output), ("cached_input", t.cached_input),
                          ("cache_write", t.cache_write)) if v is not None}
            for t in price.tiers
        ]
    return data


def price_from_json(data: Any) -> Price | None:
    if not isinstance(data, Mapping):
        return None

    def dec(value: Any) -> Decimal | None:
        return Decimal(str(value)) if value is not None else None

    tiers = tuple(
        PriceTier(int(t["above_input_tokens"]), dec(t.get("input")), dec(t.get("output")),
                  dec(t.get("cached_input")), dec(t.get("cache_write")))
        for t in data.get("tiers") or ()
    )
    return Price(
        input=dec(data.get("input")), output=dec(data.get("output")),
        cached_input=dec(data.get("cached_input")), cache_write=dec(data.get("cache_write")),
        per_second=dec(data.get("per_second")), per_request=dec(data.get("per_request")),
        source=str(data.get("source") or ""), as_of=str(data.get("as_of") or ""), tiers=tiers,
    )


def model_to_json(model: ModelInfo) -> dict[str, Any]:
    return {
        "id": model.id,
        "context_length": model.context_length,
        "price": price_to_json(model.price),
        "note": model.note,
        "backends": [model_to_json(b) for b in model.backends],
    }


def model_from_json(provider: str, data: Mapping[str, Any]) -> ModelInfo:
    context = data.get("context_length")
    return ModelInfo(
        id=str(data["id"]),
        provider=provider,
        context_length=context if isinstance(context, int) else None,
        price=price_from_json(data.get("price")),
        backends=tuple(model_from_json(provider, b) for b in data.get("backends") or ()),
        note=str(data.get("note") or ""),
    )


def dated(model: ModelInfo, day: str) -> ModelInfo:
    """The model with its listed prices dated `day` (the day the list was fetched)."""
    from dataclasses import replace

    price = model.price
    if price is not None and not price.as_of:
        price = replace(price, as_of=day)
    return replace(model, price=price, backends=tuple(dated(b, day) for b in model.backends))


def save_models(runtime: Runtime, provider: str, models: Iterable[ModelInfo]) -> list[ModelInfo]:
    """Cache a freshly fetched list; returns the models with their prices dated today."""
    from datetime import date

    today = date.today().isoformat()
    # A model id is shown on screen and sent back in requests: one with control characters
    # (an escape sequence from a hostile or broken server) is dropped, not displayed.
    stamped = [dated(m, today) for m in models if m.id.isprintable()]
    runtime.store.put_cache(
        "model_cache", provider,
        {"format": CACHE_FORMAT, "models": [model_to_json(m) for m in stamped]},
    )
    return stamped


# (store file, provider) -> (fetched_at, models by id): parsing a large list once, not per price.
_PARSED: dict[tuple[str, str], tuple[float, dict[str, ModelInfo]]] = {}


def cached_listing(runtime: Runtime, provider: str) -> tuple[float, dict[str, ModelInfo]] | None:
    """The provider's cached model list and when it was fetched (None if never)."""
    memo_key = (str(runtime.store.path), provider)
    memo = _PARSED.get(memo_key)
    # Checking the time first: a price lookup at the end of every answer must not read and
    # parse a provider's whole model list from the store each time.
    if memo is not None and memo[0] == runtime.store.cache_time("model_cache", provider):
        return memo
    row = runtime.store.get_cache("model_cache", provider)
    if row is None:
        return None
    fetched_at, payload = row
    if not isinstance(payload, Mapping) or payload.get("format") != CACHE_FORMAT:
        return None
    models: dict[str, ModelInfo] = {}
    for item in payload.get("models") or ():
        try:
            # Through the boundary again: a cache written by an older llmtui may hold raw text.
            info = clean_model(model_from_json(provider, item))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            continue
        if info is not None:
            models[info.id] = info
    _PARSED[memo_key] = (fetched_at, models)
    return fetched_at, models


def cached_models(runtime: Runtime, provider: str) -> dict[str, ModelInfo]:
    found = cached_listing(runtime, provider)
    return found[1] if found else {}


# ---------------------------------------------------------------- discovery


def builtin_models(runtime: Runtime, provider: str) -> list[str]:
    """Models that list with no network: config `models = [...]`, demo, local."""
    spec = runtime.spec(provider)
    names = list(spec.models)
    if spec.kind == "demo":
        from llmtui.providers.demo import MODELS

        names += list(MODELS)
    if spec.kind == "local" and not names:
        from llmtui.core.starter import LOCAL_MODEL, local_model_available

        if local_model_available():
            names.append(LOCAL_MODEL.split("/", 1)[1])
    return list(dict.fromkeys(names))


def _wants_discovery(runtime: Runtime, provider: str) -> bool:
    spec = runtime.spec(provider)
    return not spec.runs_locally and spec.problem() is None


async def _discover(
    runtime: Runtime, provider: str, refresh: bool, problems: list[str]
) -> tuple[float | None, dict[str, ModelInfo], str]:
    """(fetched_at, models, origin) for one provider: fresh cache, the network, or stale cache."""
    spec = runtime.spec(provider)
    cached = cached_listing(runtime, provider)
    if cached is not None and not refresh and time.time() - cached[0] < MAX_AGE_S:
        return cached[0], cached[1], "cache"
    key = None
    resolved = await asyncio.to_thread(runtime.resolve_key, provider)
    if resolved is not None:
        key = resolved.key.reveal()
    elif spec.key_required or provider not in runtime.config.providers:
        return None, {}, "skipped"  # no key configured: nothing to discover
    try:
        instance = runtime.provider(provider, key)
        models = await asyncio.wait_for(instance.list_models(), FETCH_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - one provider's failure must not empty the catalog
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        if isinstance(exc, TimeoutError):
            message = f"{provider}: no model list within {FETCH_TIMEOUT_S:g}s"
        if cached is not None:
            problems.append(f"{message} (showing the list cached {_age(cached[0])} ago)")
            return cached[0], cached[1], "cache"
        problems.append(message)
        return None, {}, "failed"
    models = await asyncio.to_thread(save_models, runtime, provider, models)
    return time.time(), {m.id: m for m in models}, "list"


def _age(when: float) -> str:
    seconds = max(0.0, time.time() - when)
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


# ---------------------------------------------------------------- entries


def _entries_for(
    runtime: Runtime,
    provider: str,
    models: Mapping[str, ModelInfo],
    origin: str,
    fetched_at: float | None,
    bundled: bool,
) -> list[CatalogEntry]:
    from llmtui.core.pricing.lookup import config_price, lookup_price

    def price_of(model_id: str, listed: Price | None) -> Price | None:
        if bundled:
            return lookup_price(runtime, provider, model_id, listed=listed)
        return config_price(runtime, provider, model_id) or listed

    def context_of(model_id: str, listed: int | None) -> int | None:
        if runtime.spec(provider).kind == "demo":
            return DEMO_CONTEXT
        if listed or not bundled:
            return listed
        from llmtui.core.pricing.lookup import genai_context_length

        return genai_context_length(provider, model_id)

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
        entries.append(
            CatalogEntry(provider, info.id, context_of(info.id, info.context_length), price,
                         origin, fetched_at, info.note, backends, routes)
        )
    listed_ids = set(models)
    for name in builtin_models(runtime, provider):
        if name in listed_ids:
            continue
        entries.append(
            CatalogEntry(provider, name, context_of(name, None), price_of(name, None),
                         "builtin" if runtime.spec(provider).runs_locally else "config",
                         None, "simulated, no model is called" if provider == "demo" else "")
        )
    return entries


def _cheapest(backends: Iterable[CatalogEntry]) -> Price | None:
    from dataclasses import replace

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
        listing = cached_listing(runtime, provider) if _wants_discovery(runtime, provider) else None
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
    discover = [p for p in order if _wants_discovery(runtime, p)]
    results = await asyncio.gather(*(_discover(runtime, p, refresh, problems) for p in discover))
    found = dict(zip(discover, results, strict=True))

    def build() -> list[CatalogEntry]:
        entries: list[CatalogEntry] = []
        for provider in order:
            fetched_at, models, origin = found.get(provider, (None, {}, "builtin"))
            entries += _entries_for(runtime, provider, models, origin, fetched_at, True)
        return entries

    # Price data (genai-prices) is imported and searched off the event loop.
    return await asyncio.to_thread(build)


def search(entries: Iterable[CatalogEntry], text: str) -> list[CatalogEntry]:
    """Entries whose reference or note contains every word of `text` (case-insensitive)."""
    words = text.lower().split()
    out = []
    for entry in entries:
        hay = " ".join([entry.ref, entry.note, *(b.id for b in entry.backends)]).lower()
        if all(w in hay for w in words):
            out.append(entry)
    return out


@dataclass
class CatalogStats:
    """Counts for a status line."""

    models: int = 0
    priced: int = 0
    providers: set[str] = field(default_factory=set)


def stats(entries: Iterable[CatalogEntry]) -> CatalogStats:
    result = CatalogStats()
    for entry in entries:
        result.models += 1
        result.priced += entry.price is not None
        result.providers.add(entry.provider)
    return result
