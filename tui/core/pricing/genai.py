"""The `genai-prices` package's bundled price data, as llmtui Prices.

Imported on first use, never at start-up (it costs ~0.3 s and ~16 MiB), and never
auto-updated: it must work offline and without surprises.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from llmtui.core.imports import HEAVY_IMPORTS
from llmtui.providers.base import Price, PriceTier

# llmtui provider id -> genai-prices provider id. The HF router's backends are
# `huggingface_<backend>` there (see lookup.hf_backend_ids).
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
    with HEAVY_IMPORTS:  # genai-prices imports httpx: never beside the client's warm-up
        from genai_prices.data_snapshot import find_provider_by_id, get_snapshot  # ~0.3 s

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
