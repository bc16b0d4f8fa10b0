"""The one check of sampling parameters (flags, config, the panel, the store), and the fitting of a
request to what a provider takes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from llmtui.core.config import ConfigError, parse_config
from llmtui.core.sampling import (
    Sampling,
    SamplingError,
    check_stop,
    from_json,
    parse_float,
    parse_int,
    parse_stop_text,
    stop_text,
    to_json,
)
from llmtui.providers.base import ChatMessage, ChatRequest
from llmtui.providers.presets import PRESETS
from llmtui.providers.sampling import fit_sampling


@pytest.mark.parametrize(("name", "text", "says"), [
    ("temperature", "2.5", "temperature must be a number from 0 to 2, got '2.5'"),
    ("temperature", "inf", "from 0 to 2"),
    ("top_p", "nan", "top_p must be a number from 0 to 1, got 'nan'"),
    ("top_p", "-0.1", "from 0 to 1"),
    ("top_p", "high", "from 0 to 1"),
])
def test_numbers_out_of_range_or_not_finite_are_refused_in_one_line(name: str, text: str, says: str) -> None:
    with pytest.raises(SamplingError) as err:
        parse_float(name, text)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_whole_numbers() -> None:
    assert parse_int("seed", " 42 ") == 42
    assert parse_int("max_tokens", "1") == 1
    for name, text in (("seed", "-1"), ("seed", str(2**32)), ("seed", "1.5"), ("max_tokens", "0")):
        with pytest.raises(SamplingError, match=f"{name} must be a whole number"):
            parse_int(name, text)


def test_stop_sequences_are_bounded() -> None:
    assert check_stop(["\n\n", "END"]) == ("\n\n", "END")
    for bad, says in ((["a", "b", "c", "d", "e"], "at most 4"), ([""], "1 to 64"), (["x" * 65], "1 to 64"),
                      (["a\x1b[31m"], "control characters"), (["a", "a"], "repeat")):
        with pytest.raises(SamplingError, match=says):
            check_stop(bad)


def test_the_panels_stop_field_round_trips_quotes_bars_and_newlines() -> None:
    stops = ("###", "\n\n", "a|b", " lead")
    text = stop_text(stops)
    assert text == '### | "\\n\\n" | "a|b" | " lead"'
    assert parse_stop_text(text) == stops
    assert parse_stop_text("  END |  | STOP ") == ("END", "STOP")
    with pytest.raises(SamplingError, match="not a valid quoted string"):
        parse_stop_text('"unclosed')


def test_precedence_compact_form_and_storage() -> None:
    panel = Sampling(top_p=0.9, stop=("END",))
    config = Sampling(temperature=0.2, top_p=0.5, seed=3)
    both = panel.over(config)
    assert both == Sampling(temperature=0.2, top_p=0.9, seed=3, stop=("END",))
    assert both.compact() == 't0.2 p0.9 seed 3 stop "END"'
    assert Sampling().compact() == "" and to_json(Sampling()) is None
    assert from_json(to_json(both)) == both
    for junk in ("{", "[1]", '{"temperature": "hot"}', '{"seed": -4}'):
        assert from_json(junk) == Sampling()  # an unreadable row is no parameters, never a crash


def test_config_models_table_names_the_bad_key_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    good = parse_config('[models."groq/x"]\ntop_p = 0.5\nseed = 7\nstop = "END"\n', path)
    assert good.model_settings("groq/x").sampling == Sampling(top_p=0.5, seed=7, stop=("END",))
    with pytest.raises(ConfigError) as err:
        parse_config('[models."groq/x"]\nseed = 7\ntop_p = 1.5\n', path)
    assert str(err.value) == (f'{path}:3: [models."groq/x"].top_p: top_p must be a number from 0 to 1, '
                              "got 1.5")


def _request(model: str, **kw: object) -> ChatRequest:
    return ChatRequest(model=model, messages=(ChatMessage("user", "hi"),), **kw)  # type: ignore[arg-type]


def test_fitting_claude_thinking_and_range_rules() -> None:
    anthropic = PRESETS["anthropic"]
    fitted = fit_sampling(anthropic, _request("claude-opus-4-1", temperature=1.5, seed=1))
    assert (fitted.request.temperature, fitted.request.seed) == (1.0, None)
    assert fitted.notes == ("Anthropic takes no seed: not sent", "Anthropic takes temperature 0 to 1: sent 1")
    thinking = fit_sampling(anthropic, _request("claude-opus-4-1", temperature=0.5, top_p=0.5,
                                                reasoning_effort="high"))
    assert (thinking.request.temperature, thinking.request.top_p) == (None, None)
    assert len(thinking.notes) == 1 and "thinking on" in thinking.notes[0]
    kept = fit_sampling(anthropic, _request("claude-opus-4-1", top_p=0.97, reasoning_effort="high"))
    assert kept.request.top_p == 0.97 and kept.notes == ()


def test_fitting_leaves_a_request_the_provider_takes_alone() -> None:
    request = _request("llama-3.3-70b-versatile", temperature=0.3, top_p=0.9, seed=7, stop=("END",))
    assert fit_sampling(PRESETS["groq"], request) == fit_sampling(PRESETS["groq"], request)
    assert fit_sampling(PRESETS["groq"], request).request == request
    gpt5 = fit_sampling(PRESETS["openai"], replace(request, model="gpt-5-mini"))
    assert gpt5.request.temperature is None and gpt5.request.top_p is None and gpt5.request.seed == 7


@pytest.mark.parametrize(("text", "says"), [
    ("1e9", "max_tokens must be a whole number from 1 to 10,000,000; 1,000,000,000 is outside 1 to 10,000,000"),
    ("0", "0 is outside 1 to 10,000,000"),
    ("1e3x", "max_tokens must be a whole number from 1 to 10,000,000, got '1e3x'"),
])
def test_max_tokens_says_out_of_range_not_not_a_number(text: str, says: str) -> None:
    """Issue 18: --max-tokens 1e9 said "not a number" and printed the range as 1e+07."""
    with pytest.raises(SamplingError) as err:
        parse_int("max_tokens", text)
    assert says in str(err.value)
    assert parse_int("max_tokens", "1e3") == 1000
