"""The reasoning picker's rules: what each provider is offered (and that its adapter really sends
it), budget bounds, the labels, and how a choice replaces the config's settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from llmtui.core.catalog.cache import save_models
from llmtui.core.config import parse_config
from llmtui.core.reasoning_choice import (
    ReasoningChoice,
    budget_bounds,
    offer_for,
    parse_budget,
    resolved,
    stored_choice,
)
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ChatMessage, ChatRequest, ModelInfo
from llmtui.providers.presets import KINDS, PRESETS
from llmtui.providers.reasoning import BLIND_CONTROLS, Controls, controls_for

MODELS = {"bedrock": "anthropic.claude-sonnet-4", "local": "smollm2"}


def body(provider_id: str, **controls: Any) -> dict[str, Any] | None:
    """The request body the provider's adapter builds, or None for one that builds none here."""
    import importlib

    spec = PRESETS[provider_id]
    if spec.kind in ("demo", "local", "replicate"):
        return None
    module, _, cls = KINDS[spec.kind].partition(":")
    adapter = getattr(importlib.import_module(module), cls)(spec, None, "k")
    request = ChatRequest(MODELS.get(provider_id, "m"), (ChatMessage("user", "hi"),), **controls)
    return adapter.body(request)  # type: ignore[no-any-return]


@pytest.mark.parametrize("provider_id", sorted(PRESETS))
def test_what_is_offered_is_what_the_adapter_sends(provider_id: str) -> None:
    controls = controls_for(PRESETS[provider_id], MODELS.get(provider_id, "m"))
    plain = body(provider_id)
    if plain is None:
        return
    for effort in controls.efforts:
        assert body(provider_id, reasoning_effort=effort) != plain, (provider_id, effort)
    if controls.budget is not None:
        low, high = controls.budget
        assert str(low) in str(body(provider_id, thinking_budget=low))
        assert str(high) in str(body(provider_id, thinking_budget=high))
    if not controls.efforts:  # offered nothing: the adapter indeed sends nothing for it
        assert body(provider_id, reasoning_effort="high") == plain


def test_the_blind_set_is_one_every_provider_maps() -> None:
    for spec in PRESETS.values():
        offered = controls_for(spec, MODELS.get(spec.id, "m")).efforts
        assert not offered or set(BLIND_CONTROLS.efforts) <= set(offered)
    assert BLIND_CONTROLS.budget is None


def test_budget_bounds_and_parsing() -> None:
    anthropic = Controls(("low",), (1024, 128_000))
    assert budget_bounds(anthropic, 4096, None) == (1024, 128_000)
    assert budget_bounds(anthropic, 4096, 64_000) == (1024, 59_904)  # answer + budget ≤ its most output
    assert budget_bounds(anthropic, 4096, 4096) is None  # no room left to think
    assert budget_bounds(Controls(("low",)), 0, None) is None
    bounds = (1024, 59_904)
    assert parse_budget("8k", bounds) == 8000
    assert parse_budget(" 16,384 ", bounds) == 16_384
    assert "outside 1024–59904" in str(parse_budget("1000", bounds))
    assert "outside" in str(parse_budget("60k", bounds))
    for bad in ("", "-5", "1.5", "eight", "1e", "nan", "inf"):
        assert "whole number" in str(parse_budget(bad, bounds))
    assert parse_budget("1.5k", bounds) == 1500 and parse_budget("2e3", bounds) == 2000
    # Tester item 10: a number too large is out of range, not malformed
    for huge in ("1000000000", "1e9", "9" * 20):
        assert "tokens is outside 1024–59904" in str(parse_budget(huge, bounds))
    assert "no thinking budget" in str(parse_budget("8000", None))


def test_labels_and_stored_values() -> None:
    assert ReasoningChoice("high").label == "effort: high"
    assert ReasoningChoice(budget=8000).label == "think ≤ 8k"
    assert ReasoningChoice(budget=16_384).label == "think ≤ 16.4k"
    assert ReasoningChoice(budget=1500).label == "think ≤ 1500"
    assert ReasoningChoice().label == ""
    assert stored_choice("medium", None) == ReasoningChoice("medium")
    assert stored_choice("max", -3) == ReasoningChoice()  # a damaged or foreign row: the default


def test_a_choice_replaces_the_config_as_a_pair() -> None:
    config = ("low", 8000)
    assert resolved(None, None, config) == ("low", 8000)
    assert resolved("high", None, config) == ("high", None)  # not high + the config's 8000
    assert resolved(None, 2000, config) == (None, 2000)


def test_the_offer_is_bounded_by_the_models_output_limit(tmp_path: Path) -> None:
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    save_models(runtime, "anthropic", [ModelInfo(id="claude-small", provider="anthropic",
                                                 max_output_tokens=8192)])
    offer = offer_for(runtime, "anthropic/claude-small", None)
    assert offer.efforts == ("off", "low", "medium", "high")
    assert offer.budget == (1024, 8192 - 4096)
    assert offer_for(runtime, "mistral/mistral-large", None).any is False
    assert offer_for(runtime, "nosuch/provider", None).any is False
