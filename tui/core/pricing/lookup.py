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

from collections.abc import Callable
from dataclasses import replace

from llmtui.core.config import Config, ConfigError
from llmtui.core.pricing.genai import GENAI_PROVIDERS, genai_price
from llmtui.core.pricing.table import CACHE_READ_SHARE, CACHE_WRITE_SHARE, table_price
from llmtui.providers.base import FREE_PRICE, Price
from llmtui.providers.presets import PRESETS

FREE_PROVIDERS = {"ollama"}
HF_ROUTES = ("fastest", "cheapest", "preferred")
ROUTED = ("hf", "replicate", "openrouter")
"""Providers whose model ids take a `:suffix` that does not change the listed price."""



def split_route(model: str) -> tuple[str, str | None]:
    """`org/model:cheapest` -> (`org/model`, `cheapest`); no suffix -> (model, None)."""
    base, sep, suffix = model.rpartition(":")
    if not sep or not base or "/" in suffix:
        return model, None
    return base, suffix


def config_price(config: Config, provider: str, model: str) -> Price | None:
    prices = config.prices
    override = prices.get(f"{provider}/{model}")
    if override is None and provider in ROUTED:
        # `hf/org/model:cheapest`, `openrouter/org/model:nitro` and `replicate/owner/name:VERSION`
        # share the base's price
        override = prices.get(f"{provider}/{split_route(model)[0]}")
    return override


Listed = Price | None | Callable[[], Price | None]
"""The provider's own listed price, or a way to read it only when it is needed."""


def lookup_price(
    config: Config,
    provider: str,
    model: str,
    *,
    served_by: str | None = None,
    listed: Listed = None,
) -> Price | None:
    """The price that applies to `provider/model` (None when nobody knows it).

    `listed` is the price the provider's own list gave (the catalog has it, or reads it
    from its cache); it is asked for only when config and "free" do not decide.
    """
    found = config_price(config, provider, model)
    if found is not None:
        return found
    try:
        spec = config.provider_spec(provider)
    except ConfigError:  # an unknown provider simply has no price
        return None
    if spec.kind == "demo":  # simulated: nothing runs, here or anywhere
        return replace(FREE_PRICE, source="simulated, free")
    if spec.runs_locally or provider in FREE_PROVIDERS:
        return FREE_PRICE
    if provider not in PRESETS and spec.on_this_machine:
        # A custom server on this machine (llama.cpp, vLLM, LM Studio) bills nobody.
        return replace(FREE_PRICE, source="runs on this machine, free")
    found = listed() if callable(listed) else listed
    if found is None:
        found = bundled_price(provider, model, served_by=served_by)
    if found is None:
        return None
    rules_for = served_by if provider == "hf" and served_by else provider
    return with_cache_rules(rules_for, found)


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
