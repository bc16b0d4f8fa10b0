"""Which price applies to a model, in order of precedence.

1. the user's `[prices."PROVIDER/MODEL"]` in config.toml;
2. free models (demo, local, Ollama);
3. the price the provider's own model list gave (HF router, Together, xAI), from the
   catalog cache; for the HF router, the price of the backend that served the request;
4. the `genai-prices` package's bundled data (imported on first use, never at start-up,
   and never auto-updated: it must work offline and without surprises);
5. llmtui's own small table (tui/price_table.py) for what genai-prices lacks.

Then, where a provider documents one cache rule for all its models (Groq: cached input
at 50%), a missing cached-input rate is filled in from it.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from llmtui.core.pricing.table import CACHE_READ_SHARE, CACHE_WRITE_SHARE, table_price
from llmtui.providers.base import Price, PriceTier

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

FREE_KINDS = {"demo", "local"}
FREE_PROVIDERS = {"ollama"}
HF_ROUTES = ("fastest", "cheapest", "preferred")

# llmtui provider id -> genai-prices provider id. The HF router's backends are
# `huggingface_<backend>` there (see hf_backend_ids).
GENAI_PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "groq": "groq",
    "together": "together",
    "mistral": "mistral",
    "xai": "x-ai",
    "deepseek": "deepseek",
    "gemini": "google",
    "cohere": "cohere",
    "cohere-compat": "cohere",
    "azure": "azure",
    "anthropic": "anthropic",
    "bedrock": "aws",
}


def split_route(model: str) -> tuple[str, str | None]:
    """`org/model:cheapest` -> (`org/model`, `cheapest`); no suffix -> (model, None)."""
    base, sep, suffix = model.rpartition(":")
    if not sep or not base or "/" in suffix:
        return model, None
    return base, suffix


def config_price(runtime: Runtime, provider: str, model: str) -> Price | None:
    prices = runtime.config.prices
    override = prices.get(f"{provider}/{model}")
    if override is None and provider in ("hf", "replicate"):
        # `hf/org/model:cheapest` and `replicate/owner/name:VERSION` share the base's price
        override = prices.get(f"{provider}/{split_route(model)[0]}")
    if override is None:
        return None
    return Price(
        input=override.input,
        output=override.output,
        cached_input=override.cached_input,
        cache_write=override.cache_write,
        per_second=override.per_second,
        per_request=override.per_request,
        source="config.toml [prices]",
    )


class _FromCache:
    """Marker: read the provider's listed price from the catalog cache."""


FROM_CACHE = _FromCache()


def lookup_price(
    runtime: Runtime,
    provider: str,
    model: str,
    *,
    served_by: str | None = None,
    listed: Price | None | _FromCache = FROM_CACHE,
) -> Price | None:
    """The price that applies to `provider/model` (None when nobody knows it).

    `listed` is the price the provider's own list gave, when the caller already has
    it (the catalog); by default it is read from the catalog cache.
    """
    found = config_price(runtime, provider, model)
    if found is not None:
        return found
    try:
        kind = runtime.spec(provider).kind
    except Exception:  # noqa: BLE001 - an unknown provider simply has no price
        return None
    if kind in FREE_KINDS or provider in FREE_PROVIDERS:
        return Price(input=Decimal(0), output=Decimal(0), source="runs locally, free")
    if provider not in GENAI_PROVIDERS and provider not in ("hf", "replicate", "reka") and _on_this_machine(
        runtime.spec(provider).base_url
    ):
        # A custom server on this machine (llama.cpp, vLLM, LM Studio) bills nobody.
        return Price(input=Decimal(0), output=Decimal(0), source="runs on this machine, free")
    if isinstance(listed, _FromCache):
        found = listed_price(runtime, provider, model, served_by=served_by)
    else:
        found = listed
    if found is None:
        found = bundled_price(provider, model, served_by=served_by)
    if found is None:
        return None
    rules_for = served_by if provider == "hf" and served_by else provider
    return with_cache_rules(rules_for, found)


def _on_this_machine(base_url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(base_url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def bundled_price(provider: str, model: str, *, served_by: str | None = None) -> Price | None:
    """genai-prices first, then our table: the data that ships with llmtui."""
    found: Price | None = None
    if provider == "hf":
        base, route = split_route(model)
        backend = served_by or (route if route not in HF_ROUTES else None)
        if backend:
            for genai_id in hf_backend_ids(backend):
                found = genai_price(genai_id, base)
                if found is not None:
                    break
    else:
        genai_id = GENAI_PROVIDERS.get(provider, provider)
        found = genai_price(genai_id, model.removeprefix("models/"))
    return found or table_price(provider, model)


def hf_backend_ids(backend: str) -> tuple[str, ...]:
    """genai-prices ids to try for an HF router backend: the router's own listing, then the
    provider's direct price (HF passes provider rates through with no markup)."""
    direct = {"fireworks-ai": "fireworks", "together": "together", "groq": "groq",
              "cerebras": "cerebras", "novita": "novita", "nebius": "nebius",
              "sambanova": "sambanova", "hyperbolic": "hyperbolic"}.get(backend)
    return (f"huggingface_{backend}",) + ((direct,) if direct else ())


def listed_price(
    runtime: Runtime, provider: str, model: str, *, served_by: str | None = None
) -> Price | None:
    """The price from the provider's own model list, as cached by the catalog."""
    from llmtui.core.catalog import cached_models

    try:
        models = cached_models(runtime, provider)
    except Exception:  # noqa: BLE001 - a broken cache must not stop a price lookup
        return None
    if provider != "hf":
        info = models.get(model)
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


def with_cache_rules(provider: str, price: Price) -> Price:
    """Fill a missing cached-input (or cache-write) rate from the provider's documented rule."""
    base = price.input
    if base is None:
        return price
    if price.cached_input is None and provider in CACHE_READ_SHARE:
        share, _why = CACHE_READ_SHARE[provider]
        price = replace(price, cached_input=base * share)
    if price.cache_write is None and provider in CACHE_WRITE_SHARE:
        share, _why = CACHE_WRITE_SHARE[provider]
        price = replace(price, cache_write=base * share)
    return price


# ---------------------------------------------------------------- genai-prices


async def warm_price_data() -> None:
    """Load genai-prices' data in a thread (~0.3 s), so a first price lookup on the event
    loop does not stall it. The TUI may call this from a worker after the first paint."""
    import asyncio

    await asyncio.to_thread(_genai_model, "openai", "gpt-4o-mini")


@functools.cache
def _genai_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("genai-prices")
    except PackageNotFoundError:
        return "?"


@functools.lru_cache(maxsize=4096)
def _genai_model(genai_provider: str, model: str) -> Any:
    """genai-prices' ModelInfo for a model, or None. Imports its data on first call (~0.3 s)."""
    try:
        from genai_prices.data_snapshot import find_provider_by_id, get_snapshot
    except ImportError:
        return None
    snapshot = get_snapshot()
    if find_provider_by_id(snapshot.providers, genai_provider) is None:
        return None
    try:
        _provider, info = snapshot.find_provider_model(model, None, genai_provider, None)
    except LookupError:
        return None
    return info


def genai_context_length(provider: str, model: str) -> int | None:
    info = _genai_model(GENAI_PROVIDERS.get(provider, provider), model)
    value = getattr(info, "context_window", None)
    return value if isinstance(value, int) else None


def genai_price(genai_provider: str, model: str, when: datetime | None = None) -> Price | None:
    """A model's price from genai-prices' bundled data, as an llmtui Price."""
    info = _genai_model(genai_provider, model)
    if info is None:
        return None
    when = when or datetime.now(UTC)
    try:
        prices = info.get_prices(when)
    except Exception:  # noqa: BLE001 - odd data must not break a lookup
        return None
    as_of = ""
    if isinstance(info.prices, list):
        for conditional in reversed(info.prices):
            constraint = conditional.constraint
            if constraint is None or constraint.active(when):
                start = getattr(constraint, "start_date", None)
                as_of = start.isoformat() if start is not None else ""
                break
    return price_from_genai(prices, f"genai-prices {_genai_version()} ({genai_provider})", as_of)


def price_from_genai(prices: Any, source: str, as_of: str = "") -> Price | None:
    """Convert genai-prices' ModelPrice (rates per 1M tokens, requests per 1,000)."""
    names = {"input": "input_mtok", "output": "output_mtok",
             "cached_input": "cache_read_mtok", "cache_write": "cache_write_mtok"}
    raw = {ours: getattr(prices, theirs, None) for ours, theirs in names.items()}
    base: dict[str, Decimal | None] = {}
    starts: set[int] = set()
    for ours, value in raw.items():
        if value is None or isinstance(value, Decimal):
            base[ours] = value
        else:  # TieredPrices
            base[ours] = value.base
            starts.update(tier.start for tier in value.tiers)
    tiers = []
    for start in sorted(starts):
        rates = {ours: _rate_at(value, start) for ours, value in raw.items()}
        tiers.append(PriceTier(above_input_tokens=start, **rates))
    requests = getattr(prices, "requests_kcount", None)
    per_request = requests / 1000 if isinstance(requests, Decimal) else None
    if base["input"] is None and base["output"] is None and per_request is None:
        return None
    return Price(**base, per_request=per_request, source=source, as_of=as_of, tiers=tuple(tiers))


def _rate_at(value: Any, start: int) -> Decimal | None:
    """The rate of a (possibly tiered) price once the prompt passes `start` tokens."""
    if value is None or isinstance(value, Decimal):
        return None  # not tiered: the base rate still applies
    rate = value.base
    for tier in value.tiers:
        if tier.start <= start:
            rate = tier.price
    return Decimal(rate)
