"""Which price applies to a model, in order of precedence.

1. the user's `[prices."PROVIDER/MODEL"]` in config.toml;
2. free models (demo, local, Ollama);
(the catalog issue adds the provider's own list prices, genai-prices and our table)
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.providers.base import Price

if TYPE_CHECKING:
    from llmtui.runtime import Runtime

FREE_KINDS = {"demo", "local"}
FREE_PROVIDERS = {"ollama"}


def config_price(runtime: Runtime, provider: str, model: str) -> Price | None:
    override = runtime.config.prices.get(f"{provider}/{model}")
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


def lookup_price(
    runtime: Runtime, provider: str, model: str, *, served_by: str | None = None
) -> Price | None:
    found = config_price(runtime, provider, model)
    if found is not None:
        return found
    try:
        kind = runtime.spec(provider).kind
    except Exception:  # noqa: BLE001 - an unknown provider simply has no price
        return None
    if kind in FREE_KINDS or provider in FREE_PROVIDERS:
        return Price(input=Decimal(0), output=Decimal(0), source="runs locally, free")
    return None
