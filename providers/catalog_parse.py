"""A provider's model list, whichever shape it comes in (`parse_model_list`): OpenAI's plain
`{"data": [...]}`, Together's bare array, HF's per-backend `providers`, OpenRouter's and xAI's.

OpenRouter's `GET /api/v1/models` prices in USD per token, as strings (see below).
xAI's `GET /v1/language-models` returns `{"models": [...]}` with prices as integer
USD cents per 100M tokens: divide by 10,000 to get USD per 1M tokens (12500 -> $1.25).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from llmtui.providers.base import ModelInfo, Price
from llmtui.providers.money import MAX_PER_REQUEST, rate_per_1m, rate_per_token, usd

CENTS_PER_100M_TO_USD_PER_1M = Decimal(10_000)


def _cents_per_100m(value: Any) -> Decimal | None:
    amount = usd(value, ceiling=Decimal(10**12))
    return None if amount is None else rate_per_1m(amount / CENTS_PER_100M_TO_USD_PER_1M)


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


# ---------------------------------------------------------------- OpenRouter

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.")


def _words(value: Any, limit: int = 64) -> tuple[str, ...]:
    """A list of short lower-case names (modalities, parameter names); anything else dropped."""
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value[:limit]
                 if isinstance(v, str) and 0 < len(v) <= 64 and set(v) <= _WORD)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def is_openrouter_models(payload: Any) -> bool:
    """OpenRouter's list: prices under `pricing.prompt` / `pricing.completion` (USD per token)."""
    data = payload.get("data") if isinstance(payload, Mapping) else None
    return isinstance(data, list) and any(
        isinstance(m, Mapping) and isinstance(m.get("pricing"), Mapping)
        and ("prompt" in m["pricing"] or "completion" in m["pricing"]) for m in data
    )


def parse_openrouter_models(provider: str, payload: Mapping[str, Any]) -> list[ModelInfo]:
    """`GET /api/v1/models` -> ModelInfo, prices in USD per 1M tokens.

    Prices are strings in USD per token; a negative one (`openrouter/auto` lists "-1": the
    price depends on the model it picks) or an absurd one is unknown. The listed price is
    the lowest across the providers serving the model; the exact cost of each answer comes
    from `usage.cost`.
    """
    models: list[ModelInfo] = []
    for entry in payload.get("data") or ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            continue
        pricing = _mapping(entry.get("pricing"))
        price: Price | None = Price(
            input=rate_per_token(pricing.get("prompt")),
            output=rate_per_token(pricing.get("completion")),
            cached_input=rate_per_token(pricing.get("input_cache_read")),
            cache_write=rate_per_token(pricing.get("input_cache_write")),
            per_request=usd(pricing.get("request"), ceiling=MAX_PER_REQUEST) or None,
            source=f"{provider} model list (lowest across its providers)",
        )
        if price is not None and price.input is None and price.output is None:
            price = None
        arch, top = _mapping(entry.get("architecture")), _mapping(entry.get("top_provider"))
        outputs = _words(arch.get("output_modalities"))
        models.append(ModelInfo(
            id=entry["id"],
            provider=provider,
            context_length=_positive_int(entry.get("context_length"))
            or _positive_int(top.get("context_length")),
            price=price,
            # A model that writes no text (image generation) is not a chat model.
            note="image" if outputs and "text" not in outputs else "",
            max_output_tokens=_positive_int(top.get("max_completion_tokens")),
            input_modalities=_words(arch.get("input_modalities")),
            supported_parameters=_words(entry.get("supported_parameters"), limit=128),
        ))
    return models


def _context(entry: Mapping[str, Any]) -> int | None:
    for key in ("context_length", "context_window", "max_context_length", "max_model_len"):
        value = entry.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return None


def parse_model_list(provider: str, payload: Any) -> list[ModelInfo]:
    """OpenAI `{"data": [...]}`, Together's bare array, HF's per-backend `providers`, xAI."""
    if is_xai_language_models(payload):
        return parse_xai_language_models(provider, payload)
    if is_openrouter_models(payload):
        return parse_openrouter_models(provider, payload)
    entries = payload if isinstance(payload, list) else (payload or {}).get("data") or []
    models: list[ModelInfo] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        price = None
        pricing = entry.get("pricing")
        if isinstance(pricing, dict) and (
            rate_per_1m(pricing.get("input")) is not None or rate_per_1m(pricing.get("output")) is not None
        ):
            price = Price(
                input=rate_per_1m(pricing.get("input")),
                output=rate_per_1m(pricing.get("output")),
                source=f"{provider} model list",
            )
        backends: list[ModelInfo] = []
        for backend in entry.get("providers") or ():
            if not isinstance(backend, dict) or not isinstance(backend.get("provider"), str):
                continue
            bp = backend.get("pricing")
            bprice = (
                Price(
                    input=rate_per_1m(bp.get("input")),
                    output=rate_per_1m(bp.get("output")),
                    source=f"{provider} model list",
                )
                if isinstance(bp, dict)
                else None
            )
            backends.append(
                ModelInfo(
                    id=f"{entry['id']}:{backend['provider']}",
                    provider=provider,
                    context_length=_context(backend),
                    price=bprice,
                    note=str(backend.get("status") or ""),
                )
            )
        context = _context(entry) or max(
            (b.context_length for b in backends if b.context_length), default=None
        )
        models.append(
            ModelInfo(
                id=entry["id"],
                provider=provider,
                context_length=context,
                price=price,
                backends=tuple(backends),
                note=str(entry.get("type") or ""),  # Together: chat, embedding, image...
            )
        )
    return models
