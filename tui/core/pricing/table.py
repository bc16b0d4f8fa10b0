"""Our own small price table: only what genai-prices does not carry.

Every row names where it came from and when, so a stale figure can be found and
fixed. The user's `[prices]` config always wins over these. Units: USD per 1M
tokens, USD per second of hardware time, USD per request.
"""

from __future__ import annotations

from decimal import Decimal

from llmtui.providers.base import Price

D = Decimal

# Replicate bills most models by hardware time: metrics.predict_time x the rate of the
# hardware the model runs on. Keys are Replicate's hardware SKUs (GET /v1/hardware).
REPLICATE_PRICING = "replicate.com/pricing"
REPLICATE_AS_OF = "2025-06"
REPLICATE_HARDWARE_PER_SECOND: dict[str, Decimal] = {
    "cpu": D("0.000100"),
    "gpu-t4": D("0.000225"),
    "gpu-a40-small": D("0.000575"),
    "gpu-a40-large": D("0.000725"),
    "gpu-l40s": D("0.000975"),
    "gpu-l40s-2x": D("0.001950"),
    "gpu-a100-large": D("0.001400"),
    "gpu-a100-large-2x": D("0.002800"),
    "gpu-h100": D("0.001525"),
}

# Replicate's official language models are billed per token instead.
REPLICATE_TOKEN_PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "meta/meta-llama-3-8b-instruct": (D("0.05"), D("0.25")),
    "meta/meta-llama-3-70b-instruct": (D("0.65"), D("2.75")),
    "meta/meta-llama-3.1-405b-instruct": (D("9.50"), D("9.50")),
    "mistralai/mixtral-8x7b-instruct-v0.1": (D("0.30"), D("1.00")),
}

# Reka: chat models per 1M tokens; Reka Research per 1,000 requests ($25 standard).
REKA_PRICING = "reka.ai/pricing"
REKA_AS_OF = "2025-07"
REKA_TOKEN_PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "reka-flash": (D("0.20"), D("0.80")),
    "reka-flash-3": (D("0.20"), D("0.80")),
}
REKA_PER_1000_REQUESTS: dict[str, Decimal] = {
    "reka-flash-research": D("25"),
}

# Cached-input rates as a share of the input rate, where a provider's docs state one
# rule for all its models and the price data has no per-model cache rate.
CACHE_READ_SHARE: dict[str, tuple[Decimal, str]] = {
    "groq": (D("0.5"), "console.groq.com/docs/prompt-caching: cached input at 50%"),
    "anthropic": (D("0.1"), "docs.anthropic.com prompt caching: reads at 0.1x input"),
}
CACHE_WRITE_SHARE: dict[str, tuple[Decimal, str]] = {
    "anthropic": (D("1.25"), "docs.anthropic.com prompt caching: 5-minute writes at 1.25x input"),
}


def replicate_hardware_price(sku: str) -> Price | None:
    """Price of one second on a Replicate hardware SKU (`gpu-a40-large`...)."""
    rate = REPLICATE_HARDWARE_PER_SECOND.get(sku)
    if rate is None:
        return None
    return Price(per_second=rate, source=f"llmtui table ({REPLICATE_PRICING}, {sku})",
                 as_of=REPLICATE_AS_OF)


def table_price(provider: str, model: str) -> Price | None:
    """Our table's price for a model of one of llmtui's provider ids, if we carry one."""
    if provider == "replicate":
        model = model.split(":", 1)[0]  # owner/name:version -> owner/name
        if model in REPLICATE_TOKEN_PRICES:
            pin, pout = REPLICATE_TOKEN_PRICES[model]
            return Price(input=pin, output=pout, source=f"llmtui table ({REPLICATE_PRICING})",
                         as_of=REPLICATE_AS_OF)
        return None
    if provider == "reka":
        if model in REKA_PER_1000_REQUESTS:
            return Price(per_request=REKA_PER_1000_REQUESTS[model] / 1000,
                         source=f"llmtui table ({REKA_PRICING}, per 1,000 requests)",
                         as_of=REKA_AS_OF)
        if model in REKA_TOKEN_PRICES:
            pin, pout = REKA_TOKEN_PRICES[model]
            return Price(input=pin, output=pout, source=f"llmtui table ({REKA_PRICING})",
                         as_of=REKA_AS_OF)
    return None
