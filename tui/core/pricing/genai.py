"""The `genai-prices` package's bundled price data, as llmtui Prices.

Imported on first use, never at start-up (it costs ~0.3 s and ~17 MiB), and never
auto-updated: it must work offline and without surprises. What it answers is kept in a
compact table on disk (compact.py), so a launch that asks only what was asked before never
loads it.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmtui.core.imports import HEAVY_IMPORTS
from llmtui.core.pricing.compact import MISSING, Conditional, Entry, PriceTable
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


@functools.cache
def _genai_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("genai-prices")
    except PackageNotFoundError:
        return "?"


def _table() -> PriceTable:
    from llmtui.paths import cache_dir

    return _table_at(cache_dir() / f"genai-prices-{_genai_version()}.jsonl")


@functools.cache
def _table_at(path: Path) -> PriceTable:
    return PriceTable(path)


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


@functools.lru_cache(maxsize=4096)
def genai_entry(genai_provider: str, model: str) -> Entry | None:
    """What genai-prices knows of a model: from the compact table (compact.py) when this
    version was asked about it before, else from its data (loaded on first need), kept."""
    table = _table()
    found = table.get(genai_provider, model)
    if found is MISSING:
        found = entry_of(_genai_model(genai_provider, model))
        table.put(genai_provider, model, found)
    assert found is None or isinstance(found, Entry)
    return found


def entry_of(info: Any) -> Entry | None:
    """A genai-prices ModelInfo (or None) as a compact Entry: its prices, each with the
    constraint that selects it, converted as `price_from_genai` converts them."""
    if info is None:
        return None
    context = info.context_window if isinstance(info.context_window, int) else None
    if not isinstance(info.prices, list):
        return Entry(context, (Conditional(price_from_genai(info.prices, "")),))
    conditionals = []
    for conditional in info.prices:
        constraint = conditional.constraint
        conditionals.append(Conditional(
            price_from_genai(conditional.prices, ""),
            getattr(constraint, "start_date", None), getattr(constraint, "start_time", None),
            getattr(constraint, "end_time", None)))
    return Entry(context, tuple(conditionals))


def genai_context_length(provider: str, model: str) -> int | None:
    entry = genai_entry(GENAI_PROVIDERS.get(provider, provider), model)
    return entry.context_window if entry is not None else None


def genai_price(genai_provider: str, model: str, when: datetime | None = None) -> Price | None:
    """A model's price from genai-prices' bundled data, as an llmtui Price."""
    entry = genai_entry(genai_provider, model)
    if entry is None:
        return None
    return entry.price_at(when or datetime.now(UTC),
                          f"genai-prices {_genai_version()} ({genai_provider})")


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
