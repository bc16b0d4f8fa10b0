"""Model-list shapes that are not OpenAI's `{"data": [...]}`.

xAI's `GET /v1/language-models` returns `{"models": [...]}` with prices as integer
USD cents per 100M tokens: divide by 10,000 to get USD per 1M tokens (12500 -> $1.25).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from llmtui.providers.base import ModelInfo, Price

CENTS_PER_100M_TO_USD_PER_1M = Decimal(10_000)


def _cents_per_100m(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return amount / CENTS_PER_100M_TO_USD_PER_1M


def is_xai_language_models(payload: Any) -> bool:
    return isinstance(payload, Mapping) and isinstance(payload.get("models"), list) and any(
        isinstance(m, Mapping) and "prompt_text_token_price" in m for m in payload["models"]
    )


def parse_xai_language_models(provider: str, payload: Mapping[str, Any]) -> list[ModelInfo]:
    """xAI's priced model list -> ModelInfo, prices in USD per 1M tokens."""
    models: list[ModelInfo] = []
    for entry in payload.get("models") or ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            continue
        price = Price(
            input=_cents_per_100m(entry.get("prompt_text_token_price")),
            output=_cents_per_100m(entry.get("completion_text_token_price")),
            cached_input=_cents_per_100m(entry.get("cached_prompt_text_token_price")),
            source=f"{provider} model list (/v1/language-models)",
        )
        if price.input is None and price.output is None:
            price = None  # type: ignore[assignment]
        aliases = [a for a in entry.get("aliases") or () if isinstance(a, str)]
        context = entry.get("context_length") or entry.get("max_prompt_length")
        models.append(
            ModelInfo(
                id=entry["id"],
                provider=provider,
                context_length=context if isinstance(context, int) and context > 0 else None,
                price=price,
                note=("aliases: " + ", ".join(aliases)) if aliases else "",
            )
        )
    return models
