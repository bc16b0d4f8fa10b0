"""`[presets.NAME]` in config.toml and `ask --preset`: flags win, the conversation records it."""

from __future__ import annotations

import json

from llmtui.core.store import Store
from tests.conftest import run_cli

PRESETS = """
[presets.reviewer]
system = "You review code tersely."
temperature = 0.2
model = "demo/simulated-fast"
max_tokens = 300

[presets.poet]
system = "Answer in verse."
"""


def test_ask_with_a_preset_uses_its_model_and_system_and_records_it(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(PRESETS)
    result = run_cli("ask", "--json", "--preset", "reviewer", "look at this diff")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model"] == "demo/simulated-fast"
    store = Store()
    (conv,) = store.conversations()
    assert store.preset_of(conv.id) == "reviewer"
    assert store.system_prompt(conv.id) == "You review code tersely."
    store.close()


def test_flags_win_over_the_preset(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(PRESETS)
    result = run_cli("ask", "--json", "--preset", "reviewer", "-s", "Be kind.", "-m", "demo/simulated", "hi")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model"] == "demo/simulated"
    store = Store()
    (conv,) = store.conversations()
    assert store.system_prompt(conv.id) == "Be kind." and store.preset_of(conv.id) == "reviewer"
    store.close()


def test_an_unknown_preset_names_the_ones_there_are(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(PRESETS)
    result = run_cli("ask", "--preset", "critic", "hi")
    assert result.returncode == 2
    assert result.stderr.strip() == "llmtui: error: no preset 'critic' (presets: reviewer, poet)"


def test_a_mistake_in_a_preset_is_a_config_error_with_its_line(write_config) -> None:  # type: ignore[no-untyped-def]
    path = write_config('[presets.hot]\ntemperature = 7\n')
    result = run_cli("ask", "--preset", "hot", "hi")
    assert result.returncode == 2
    assert f"{path}:2" in result.stderr and "presets.hot" in result.stderr and "0 to 2" in result.stderr
    path = write_config('[presets.typo]\nsytem = "x"\n')
    result = run_cli("ask", "hi")
    assert result.returncode == 2 and "sytem" in result.stderr and "unknown key" in result.stderr


def test_a_presets_sampling_reaches_the_provider_under_the_flags(
        write_config, openai_server) -> None:  # type: ignore[no-untyped-def]
    server, _fake = openai_server
    write_config(f'[providers.groq]\nbase_url = "{server.url}/openai/v1"\n\n'
                 '[presets.exact]\ntemperature = 0\ntop_p = 0.5\nseed = 7\nstop = ["###"]\n')
    prompt = "a preset's sampling, under --seed"  # the server is shared: find this request by it
    result = run_cli("ask", "--preset", "exact", "--seed", "9", "-m", "groq/ok", prompt,
                     env={"GROQ_API_KEY": "sk-test-123"})
    assert result.returncode == 0, result.stderr
    (body,) = [r.json() for r in server.requests if r.path.endswith("/chat/completions")
               and prompt in json.dumps(r.json())]
    assert (body["temperature"], body["top_p"], body["seed"], body["stop"]) == (0, 0.5, 9, ["###"])
