"""The model-list cache: each provider's list as fetched, in the store, for a day.

The parsed lists are memoised on the Store (`Store.memo`), keyed by provider and checked
against the cache row's time, so a price lookup at the end of every answer does not
re-read and re-parse a provider's whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from llmtui.core.pricing.lookup import HF_ROUTES, ROUTED, split_route
from llmtui.core.store import Store
from llmtui.providers.base import ModelInfo, Price, PriceTier
from llmtui.providers.boundary import clean_model
from llmtui.providers.money import rate_per_1m


class Runtime(Protocol):
    """What the cache needs of the runtime: its store. (Not the Runtime class itself, which
    looks prices up through this module: importing it here would close an import cycle.)"""

    @property
    def store(self) -> Store: ...

CACHE_FORMAT = 1


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
        # Re-checked on every read: a cache written by an older llmtui may hold NaN or -5.
        return rate_per_1m(value)

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
    data: dict[str, Any] = {
        "id": model.id,
        "context_length": model.context_length,
        "price": price_to_json(model.price),
        "note": model.note,
        "backends": [model_to_json(b) for b in model.backends],
    }
    if model.max_output_tokens:
        data["max_output_tokens"] = model.max_output_tokens
    if model.input_modalities:
        data["input_modalities"] = list(model.input_modalities)
    if model.supported_parameters:
        data["supported_parameters"] = list(model.supported_parameters)
    return data


def model_from_json(provider: str, data: Mapping[str, Any]) -> ModelInfo:
    context = data.get("context_length")
    max_output = data.get("max_output_tokens")
    return ModelInfo(
        id=str(data["id"]),
        provider=provider,
        context_length=context if isinstance(context, int) else None,
        price=price_from_json(data.get("price")),
        backends=tuple(model_from_json(provider, b) for b in data.get("backends") or ()),
        note=str(data.get("note") or ""),
        max_output_tokens=max_output if isinstance(max_output, int) and max_output > 0 else None,
        input_modalities=tuple(str(m) for m in data.get("input_modalities") or ()),
        supported_parameters=tuple(str(p) for p in data.get("supported_parameters") or ()),
    )


def dated(model: ModelInfo, day: str) -> ModelInfo:
    """The model with its listed prices dated `day` (the day the list was fetched)."""
    price = model.price
    if price is not None and not price.as_of:
        price = replace(price, as_of=day)
    return replace(model, price=price, backends=tuple(dated(b, day) for b in model.backends))


def save_models(runtime: Runtime, provider: str, models: Iterable[ModelInfo]) -> list[ModelInfo]:
    """Cache a freshly fetched list; returns the models with their prices dated today."""
    today = date.today().isoformat()
    # A model id is shown on screen and sent back in requests: one with control characters
    # (an escape sequence from a hostile or broken server) is dropped, not displayed.
    stamped = [dated(m, today) for m in models if m.id.isprintable()]
    runtime.store.put_cache(
        "model_cache", provider,
        {"format": CACHE_FORMAT, "models": [model_to_json(m) for m in stamped]},
    )
    return stamped


def cached_listing(runtime: Runtime, provider: str) -> tuple[float, dict[str, ModelInfo]] | None:
    """The provider's cached model list and when it was fetched (None if never)."""
    memo_key = f"model_cache:{provider}"
    memo: tuple[float, dict[str, ModelInfo]] | None = runtime.store.memo.get(memo_key)
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
    runtime.store.memo[memo_key] = (fetched_at, models)
    return fetched_at, models


def cached_models(runtime: Runtime, provider: str) -> dict[str, ModelInfo]:
    found = cached_listing(runtime, provider)
    return found[1] if found else {}


def listed_price(
    runtime: Runtime, provider: str, model: str, *, served_by: str | None = None
) -> Price | None:
    """The price from the provider's own model list, as cached by the catalog."""
    try:
        models = cached_models(runtime, provider)
    except Exception:  # noqa: BLE001 - a broken cache must not stop a price lookup
        return None
    if provider != "hf":
        info = models.get(model)
        if info is None and provider in ROUTED:
            info = models.get(split_route(model)[0])
        return info.price if info is not None else None
    base, route = split_route(model)
    info = models.get(base)
    if info is None:
        return None
    backend = served_by or (route if route not in HF_ROUTES else None)
    if backend:
        for b in info.backends:
            if b.id == f"{base}:{backend}":
                return b.price
        return None
    if len(info.backends) == 1:  # the router has only one place to send it
        return info.backends[0].price
    if route == "cheapest":
        priced = [b.price for b in info.backends if b.price and b.price.input is not None]
        if priced:
            cheapest = min(priced, key=lambda p: (p.input or 0) + (p.output or 0))
            return replace(cheapest, source=f"{cheapest.source} (cheapest backend)")
    return info.price


def model_bounds(runtime: Runtime, provider: str, model: str) -> tuple[int | None, int | None]:
    """(most output tokens, context length) of a model, as far as anyone says: what the
    budget bounds a request's output by when the user set no max_tokens."""
    from llmtui.core.pricing.genai import genai_context_length

    try:
        models = cached_models(runtime, provider)
    except Exception:  # noqa: BLE001 - a broken cache only means we know less
        models = {}
    info = models.get(model) or models.get(split_route(model)[0])
    if info is not None and (info.max_output_tokens or info.context_length):
        return info.max_output_tokens, info.context_length
    try:
        return None, genai_context_length(provider, model)
    except Exception:  # noqa: BLE001
        return None, None
