"""Each provider's model-list shape, fetched over loopback and parsed into ModelInfo."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from llmtui.providers.base import ProviderSpec
from llmtui.providers.openai_compat import OpenAICompatProvider
from llmtui.providers.presets import PRESETS
from tests.fakes.model_lists import HF_ROUTER_MODELS, OPENAI_MODELS, TOGETHER_MODELS
from tests.fakes.router_fake import KEY

pytestmark = pytest.mark.asyncio


def _spec(preset: str, url: str) -> ProviderSpec:
    from dataclasses import replace

    return replace(PRESETS[preset], base_url=url)


async def _list(preset: str, url: str):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient() as client:
        return await OpenAICompatProvider(_spec(preset, url), client, KEY).list_models()


async def test_hf_router_lists_each_backend_with_its_price_and_context(serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve(models_payload=HF_ROUTER_MODELS)
    models = {m.id: m for m in await _list("hf", server.url + "/v1")}
    assert server.requests[0].path == "/v1/models"
    tiny = models["acme/TinyChat-1B"]
    assert tiny.context_length == 131072  # the largest backend's
    backends = {b.id: b for b in tiny.backends}
    assert set(backends) == {"acme/TinyChat-1B:together", "acme/TinyChat-1B:novita",
                             "acme/TinyChat-1B:hf-inference"}
    together = backends["acme/TinyChat-1B:together"]
    assert (together.price.input, together.price.output) == (Decimal("0.2"), Decimal("0.6"))
    assert together.context_length == 131072 and together.note == "live"
    assert backends["acme/TinyChat-1B:novita"].price.input == Decimal("4")
    assert backends["acme/TinyChat-1B:hf-inference"].price is None  # no pricing given


async def test_together_bare_array(serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve(models_payload=TOGETHER_MODELS)
    models = {m.id: m for m in await _list("together", server.url + "/v1")}
    llama = models["meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert llama.price.input == Decimal("0.88") and llama.price.output == Decimal("0.88")
    assert llama.context_length == 131072 and llama.note == "chat"
    assert models["acme/Priced-Unknown"].price is None  # all-null pricing is no price, not $0
    assert models["BAAI/bge-large-en-v1.5"].note == "embedding"


async def test_xai_language_models_cents_per_100m_tokens(serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    models = {m.id: m for m in await _list("xai", server.url + "/v1")}
    assert server.requests[-1].path == "/v1/language-models"
    mini = models["grok-3-mini"].price
    # 3000 cents / 100M tokens = $30 / 100M = $0.30 / 1M
    assert (mini.input, mini.output, mini.cached_input) == (
        Decimal("0.3"), Decimal("0.5"), Decimal("0.075"))
    grok4 = models["grok-4-0709"]
    assert (grok4.price.input, grok4.price.output) == (Decimal("3"), Decimal("15"))
    assert "grok-4-latest" in grok4.note


async def test_openai_list_has_no_prices(serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve(models_payload=OPENAI_MODELS)
    models = await _list("openai", server.url + "/v1")
    assert [m.id for m in models] == ["gpt-4o-mini", "my-finetune-xyz"]
    assert all(m.price is None and m.context_length is None for m in models)
