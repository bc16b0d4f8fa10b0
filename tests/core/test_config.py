"""config.toml: strict validation, one clear line per mistake, settings kept apart."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtui.core.config import ConfigError, load_config, parse_config
from llmtui.core.settings import load_settings, save_settings

P = Path("/cfg/config.toml")


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config.providers == {} and config.defaults.model is None


def test_full_config_parses() -> None:
    config = parse_config(
        """
theme = "llmtui-dusk"
[providers.groq]
base_url = "http://127.0.0.1:9/openai/v1"
[providers.hf]
bill_to = "my-org"
[providers.vllm]
kind = "openai"
base_url = "http://127.0.0.1:8000/v1"
models = ["qwen"]
headers = { "X-Team" = "a" }
[providers.local]
models = { mine = "/models/my.gguf" }
[prices."groq/llama-3.3-70b-versatile"]
input = 0.59
output = 0.79
cached_input = 0.295
[defaults]
model = "groq/llama-3.3-70b-versatile"
compare = ["groq/a", "hf/b/c:fastest"]
temperature = 0.2
max_tokens = 512
[budget]
daily_usd = 2
[network]
idle_timeout = 5
max_retries = 0
[keymap]
"app.export" = "f11"
""",
        P,
    )
    assert config.prices["groq/llama-3.3-70b-versatile"].cached_input == Decimal("0.295")
    assert config.defaults.compare == ("groq/a", "hf/b/c:fastest")
    assert config.budget.daily_usd == Decimal(2)
    assert config.network.max_retries == 0 and config.network.idle_timeout == 5
    spec = config.provider_spec("hf")
    assert spec.options["bill_to"] == "my-org" and spec.base_url == "https://router.huggingface.co/v1"
    vllm = config.provider_spec("vllm")
    assert vllm.kind == "openai" and vllm.headers == {"X-Team": "a"} and not vllm.key_required
    assert config.provider_spec("local").options["model_paths"] == {"mine": "/models/my.gguf"}
    assert config.provider_spec("groq").base_url == "http://127.0.0.1:9/openai/v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[defaults]\nmodel = 3\n", "/cfg/config.toml:2: [defaults].model: expected a model reference"),
        ("[defaults]\n\ntemperature = 9\n", "/cfg/config.toml:3: [defaults].temperature: temperature must be a number from 0 to 2, got 9"),
        ("x = [\n", "/cfg/config.toml:1: not valid TOML"),
        ("colour = 1\n", "/cfg/config.toml:1: colour: unknown key"),
        ("[providers.groq]\nbase_url = 5\n", "/cfg/config.toml:2: [providers.groq].base_url: expected a string"),
        ("[providers.groq]\nbase_url = \"ftp://x\"\n", "[providers.groq].base_url: expected an http(s) URL"),
        ("[providers.mine]\nkind = \"openai\"\n", "/cfg/config.toml:1: [providers.mine]: a custom provider needs base_url"),
        ("[providers.x]\nkind = \"soap\"\nbase_url = \"http://a\"\n", "unknown kind 'soap'"),
        ('[prices."groq/m"]\ninput = "cheap"\n', "/cfg/config.toml:2: [prices.\"groq/m\"].input: expected a price"),
        ('[prices."groq/m"]\ninput = -1\n', "a price cannot be -1"),
        ('[prices."nomodel"]\ninput = 1\n', "expected a model reference PROVIDER/MODEL"),
        ("[budget]\ndaily = 1\n", "[budget].daily: unknown key"),
        ("[network]\nmax_retries = -1\n", "[network].max_retries: expected a whole number"),
        ("[defaults]\ncompare = [\"a/b\"]\n", "expected two model references"),
    ],
)
def test_errors_name_file_line_and_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, P)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_provider_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown provider 'nosuch'"):
        parse_config("", P).provider_spec("nosuch")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"model = \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzzed_config_text_gives_config_error_or_config(text: str) -> None:
    try:
        parse_config(text, P)
    except ConfigError as exc:
        assert str(exc).startswith("/cfg/config.toml")


def test_settings_are_separate_and_private(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    original = "# my comments\n[defaults]\nmodel = \"demo/simulated\"\n"
    config.write_text(original)
    settings_path = tmp_path / "settings.toml"
    save_settings({"theme": "llmtui-dusk", "last_model": "demo/simulated"}, settings_path)
    save_settings({"theme": "textual-light"}, settings_path)
    assert load_settings(settings_path) == {"theme": "textual-light", "last_model": "demo/simulated"}
    assert config.read_text() == original
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600


def test_broken_settings_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("theme = [")
    assert load_settings(path) == {}


def test_models_table_sets_reasoning_controls_per_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.config import ModelSettings

    text = ('[models."anthropic/claude-sonnet-4-5"]\nthinking_budget = 8000\n\n'
            '[models."openai/o4-mini"]\nreasoning_effort = "high"\n')
    config = parse_config(text, tmp_path / "config.toml")
    assert config.model_settings("anthropic/claude-sonnet-4-5") == ModelSettings(thinking_budget=8000)
    assert config.model_settings("openai/o4-mini").reasoning_effort == "high"
    assert config.model_settings("groq/other") == ModelSettings()


def test_models_table_errors_name_the_line_and_choices(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError, match=r"config.toml:2: \[models.\"a/b\"\].reasoning_effort: expected one of off, low, medium, high"):
        parse_config('[models."a/b"]\nreasoning_effort = "max"\n', path)
    with pytest.raises(ConfigError, match=r"unknown key"):
        parse_config('[models."a/b"]\nthinking = 1\n', path)
    with pytest.raises(ConfigError, match=r"whole number"):
        parse_config('[models."a/b"]\nthinking_budget = -5\n', path)
    with pytest.raises(ConfigError, match=r"starts_in_thought: expected true or false"):
        parse_config('[models."a/b"]\nstarts_in_thought = "yes"\n', path)


def test_a_model_can_be_marked_as_starting_inside_a_thought(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = '[models."vllm/my-r1-merge"]\nstarts_in_thought = true\n[models."hf/x/DeepSeek-R1"]\nstarts_in_thought = false\n'
    config = parse_config(text, tmp_path / "config.toml")
    assert config.model_settings("vllm/my-r1-merge").starts_in_thought is True
    assert config.model_settings("hf/x/DeepSeek-R1").starts_in_thought is False
    assert config.model_settings("groq/other").starts_in_thought is None  # the model's name decides


@pytest.mark.parametrize("text", ["[defaults]\nmax_tokens = 0\n",
                                  '[presets.short]\nmax_tokens = 0\n',
                                  '[models."demo/x"]\nmax_tokens = 0\n'])
def test_max_tokens_zero_is_refused_in_every_table(text: str) -> None:
    """Issue 18: [defaults] max_tokens = 0 was accepted (and sent as 0) while --max-tokens 0 was not."""
    with pytest.raises(ConfigError, match=r"config.toml:2: .*max_tokens must be a whole number from 1 to "
                                          r"10,000,000; 0 is outside"):
        parse_config(text, Path("/cfg/config.toml"))


def test_defaults_and_presets_take_every_sampling_parameter(tmp_path: Path) -> None:
    """[defaults] and [presets.*] know the five as [models."REF"] and the flags do, with the same
    checks: top_p, seed and stop were refused as unknown keys there."""
    from llmtui.core.sampling import Sampling

    config = parse_config('[defaults]\ntop_p = 0.5\nseed = 3\n\n[presets.exact]\ntemperature = 0\n'
                          'top_p = 0.9\nseed = 7\nstop = ["###"]\nmax_tokens = 100\n', tmp_path / "c.toml")
    assert config.preset("exact").sampling == Sampling(temperature=0.0, top_p=0.9, max_tokens=100,
                                                      seed=7, stop=("###",))
    assert config.sampling_for("groq/x", Sampling(seed=9)) == Sampling(top_p=0.5, seed=9)
    with pytest.raises(ConfigError, match=r"c.toml:3: \[presets.bad\].stop: stop takes at most 4"):
        parse_config('[presets.bad]\nsystem = "x"\nstop = ["a", "b", "c", "d", "e"]\n', tmp_path / "c.toml")
