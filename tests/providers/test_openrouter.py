"""OpenRouter as a preset: its model list (USD per token, as strings), routing suffixes, the
provider that served each answer, and the exact cost it reports; xAI's cost in ticks."""

from __future__ import annotations

import json
from decimal import Decimal

from llmtui.core.config import load_config
from llmtui.providers.catalog_parse import parse_model_list
from llmtui.providers.presets import ENV_VARS, PRESETS
from tests.conftest import run_cli
from tests.fakes.money_fake import KEYS, MODELS, config


def test_the_preset() -> None:
    spec = PRESETS["openrouter"]
    assert (spec.kind, spec.base_url, spec.env_var) == (
        "openai", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")
    assert ENV_VARS["openrouter"] == ("OPENROUTER_API_KEY",)


def test_the_model_list_as_documented() -> None:
    models = {m.id: m for m in parse_model_list("openrouter", MODELS)}
    claude = models["anthropic/claude-sonnet-4.5"]
    assert claude.price is not None
    # USD per token -> USD per 1M tokens
    assert (claude.price.input, claude.price.output) == (Decimal(3), Decimal(15))
    assert (claude.price.cached_input, claude.price.cache_write) == (Decimal("0.3"), Decimal("3.75"))
    assert claude.context_length == 1_000_000 and claude.max_output_tokens == 64_000
    assert claude.input_modalities == ("text", "image", "file")
    assert "tools" in claude.supported_parameters
    free = models["meta-llama/llama-3.3-70b-instruct:free"].price
    assert free is not None and (free.input, free.output) == (0, 0)
    # openrouter/auto's "-1" (depends on the model it picks), NaN, negative, absurd: unknown
    for unknown in ("openrouter/auto", "evil/negative-price", "evil/absurd-price"):
        assert models[unknown].price is None
    nan = models["evil/nan-price"].price
    assert nan is not None and nan.input is None and nan.output == Decimal(1)
    assert models["google/image-maker"].note == "image"  # not a chat model


def test_catalog_lists_routes_and_keeps_modalities(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url))
    result = run_cli("models", "--provider", "openrouter", "--refresh", "--json", env=KEYS)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    claude = rows["anthropic/claude-sonnet-4.5"]
    assert claude["routes"] == ["openrouter/anthropic/claude-sonnet-4.5:nitro",
                                "openrouter/anthropic/claude-sonnet-4.5:floor"]
    assert claude["input_per_1m"] == 3.0 and claude["max_output_tokens"] == 64000
    assert claude["input_modalities"] == ["text", "image", "file"]
    assert "google/image-maker" not in rows


def test_exact_cost_served_by_and_the_difference(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, fake = money
    write_config(config(server.url))
    assert run_cli("models", "--provider", "openrouter", "--refresh", env=KEYS).returncode == 0
    result = run_cli("ask", "--json", "-m", "openrouter/anthropic/claude-sonnet-4.5:nitro", "hi",
                     env=KEYS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert fake.bodies[0]["model"] == "anthropic/claude-sonnet-4.5:nitro"
    assert data["served_by"] == "DeepInfra"
    assert (data["cost_usd"], data["cost_source"]) == (0.00125, "provider")
    # our listed prices: 176 x $3 + 1024 cached x $0.30 + 4 x $15, per 1M = $0.0008952
    assert data["cost_computed_usd"] == 0.0008952
    # 1024 cached tokens at $0.30 instead of $3 per 1M
    assert data["cache_saving_usd"] == 0.0027648
    summary = run_cli("ask", "-m", "openrouter/anthropic/claude-sonnet-4.5", "hi", env=KEYS).stderr
    assert "(1024 cached, saved $0.00276)" in summary
    assert "$0.00125 (our prices say $0.000895)" in summary
    spent = json.loads(run_cli("spend", "--json", "--by", "model").stdout)
    assert spent["total_usd"] == 0.0025


def test_xai_cost_in_ticks(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url))
    data = json.loads(run_cli("ask", "--json", "-m", "xai/xai-ticks", "hi", env=KEYS).stdout)
    assert (data["cost_usd"], data["cost_source"]) == (0.0037756, "provider")


def test_budget_defaults_to_the_models_own_maximum(write_config, money, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server, fake = money
    write_config(config(server.url, "[budget]\ndaily_usd = 100\n"))
    assert run_cli("models", "--provider", "openrouter", "--refresh", env=KEYS).returncode == 0
    assert load_config().budget.daily_usd == 100
    result = run_cli("ask", "-m", "openrouter/anthropic/claude-sonnet-4.5", "hi", env=KEYS)
    assert result.returncode == 0, result.stderr
    # $100 allows far more than the model writes: nothing is capped, nothing said
    assert "max_tokens" not in fake.bodies[0] and "max_tokens" not in result.stderr
    write_config(config(server.url, "[budget]\ndaily_usd = 0.1\n"))
    run_cli("ask", "-m", "openrouter/anthropic/claude-sonnet-4.5", "hi", env=KEYS)
    # 0.1 minus the spent $0.00125, minus 10 prompt tokens at $3/1M, over $15/1M: 6,581 tokens
    assert fake.bodies[1]["max_tokens"] == 6581
