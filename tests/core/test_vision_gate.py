"""Can this model see? The dated table by documented ids (o3-mini, o1-mini, Claude 2.x take no
images), name heuristics marked as guesses (never facts), "models that can" naming real models
you can call before the simulated demo, and one lane that cannot take an image (or is over its
size limit) refusing the whole send."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmtui.core.catalog.capabilities import capabilities
from llmtui.core.catalog.vision import able, image_gate, refusal
from llmtui.core.config import parse_config
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import Notice, StreamError
from llmtui.providers.parts import ImagePart
from tests.cli.test_attach import png


@pytest.mark.parametrize(("provider", "model"), [
    ("openai", "o3-mini"), ("openai", "o3-mini-2025-01-31"), ("openai", "o1-mini"),
    ("openai", "o1-preview"), ("anthropic", "claude-2.1"), ("anthropic", "claude-2.0"),
    ("anthropic", "claude-instant-1.2"), ("bedrock", "anthropic.claude-v2:1"),
])
def test_documented_no_vision_models(provider: str, model: str) -> None:
    caps = capabilities(provider, provider, model)
    assert caps.vision is False and not caps.guessed


def test_seeing_models_stay_facts() -> None:
    for provider, model in (("openai", "o3"), ("openai", "o4-mini"), ("openai", "o1"),
                            ("groq", "meta-llama/llama-4-scout-17b-16e-instruct")):
        caps = capabilities(provider, "openai", model)
        assert caps.sees and "img" in caps.badges().split()


def test_a_name_is_only_a_guess(tmp_path: Path) -> None:
    caps = capabilities("groq", "openai", "vision-1")
    assert caps.vision is True and caps.guessed == ("vision",) and not caps.sees
    assert caps.badges() == "img?"  # no tools badge either: nothing says so
    assert caps.as_json()["guessed"] == ["vision"]
    assert capabilities("groq", "openai", "qwen-2.5-vl-7b").badges() == "img?"
    assert capabilities("x", "openai", "my-reasoning-model").badges() == "think?"
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    gate = image_gate(runtime, "groq", "openai", "vision-1")
    assert isinstance(gate, Notice) and "only guesses from its name" in gate.text


def test_models_that_can_are_real_and_callable_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    found = able(runtime, in_play=["openai/gpt-4o", "openai/gpt-3.5-turbo"])
    assert found[0] == "openai/gpt-4o"  # in play
    assert "anthropic/claude-sonnet-4-5" in found[:2]  # a key is set for it
    assert not [ref for ref in found if ref.startswith("demo/")]


def test_one_lane_that_cannot_refuses_the_whole_send(tmp_path: Path) -> None:
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    shot = [ImagePart(png(8, 8), "image/png", "shot.png")]
    assert refusal(runtime, ["openai/gpt-4o", "anthropic/claude-sonnet-4-5"], shot) is None
    blind = refusal(runtime, ["openai/gpt-4o", "openai/o3-mini"], shot)
    assert isinstance(blind, StreamError)
    assert blind.message.startswith("openai/o3-mini takes no images")
    assert "nothing was sent to any of the models" in blind.message
    big = [ImagePart(b"\x89PNG" + b"\0" * (4 * 1024 * 1024), "image/png", "big.png")]
    over = refusal(runtime, ["openai/gpt-4o", "anthropic/claude-sonnet-4-5"], big)
    assert isinstance(over, StreamError)
    assert over.message.startswith("anthropic/claude-sonnet-4-5: big.png is")
    assert "Anthropic takes at most 5.00 MB per image" in over.message


def test_replicate_decides_by_its_schema_without_a_prior_warning(tmp_path: Path) -> None:
    """Replicate's adapter reads the model's input schema and refuses a model without an image
    input; a 'not known, sending anyway' before that refusal contradicted it."""
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    assert image_gate(runtime, "replicate", "replicate", "meta/meta-llama-3-8b-instruct") is None
    assert isinstance(image_gate(runtime, "groq", "openai", "new-model"), Notice)
