"""top_p, seed and stop reach each provider family in its own documented field, through
`llmtui ask` against loopback fakes; what a provider does not take is left out and said once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.fakes.anthropic_fake import AnthropicFake
from tests.fakes.bedrock_fake import BedrockFake
from tests.fakes.cohere_fake import CohereFake
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.replicate_fake import ReplicateFake
from tests.fakes.server import FakeServer

SAMPLING = ["--temperature", "0.3", "--top-p", "0.9", "--seed", "7", "--stop", "END", "--stop", "###"]
NO_RETRY = "\n[network]\nmax_retries = 0\n"


def _served(fake: Any) -> Iterator[FakeServer]:
    server = FakeServer(fake).start()
    fake.url = server.url  # Replicate's fake hands out stream URLs on its own origin
    yield server
    server.stop()


@pytest.fixture(scope="module")
def openai() -> Iterator[FakeServer]:
    yield from _served(OpenAIFake(expected_key="k"))


def _ask(server: FakeServer, ref: str, env: dict[str, str], *flags: str) -> tuple[dict[str, Any], str]:
    """The JSON body the fake received for one `ask`, and what ask said on stderr."""
    before = len(server.requests)
    result = run_cli("ask", "--json", "-m", ref, *flags, "hi", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return server.requests[before].json(), result.stderr


def test_openai_dialect_top_p_seed_stop(write_config, openai: FakeServer) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{openai.url}/openai/v1"\n{NO_RETRY}')
    body, said = _ask(openai, "groq/llama-3.3-70b-versatile", {"GROQ_API_KEY": "k"}, *SAMPLING)
    assert (body["temperature"], body["top_p"], body["seed"], body["stop"]) == (0.3, 0.9, 7, ["END", "###"])
    assert "warning" not in said


def test_mistral_names_the_seed_random_seed(write_config, openai: FakeServer) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.mistral]\nbase_url = "{openai.url}/v1"\n{NO_RETRY}')
    body, _ = _ask(openai, "mistral/mistral-small-latest", {"MISTRAL_API_KEY": "k"}, "--seed", "7")
    assert body["random_seed"] == 7 and "seed" not in body


def test_openai_reasoning_models_are_not_sent_temperature_or_top_p(write_config, openai: FakeServer) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.openai]\nbase_url = "{openai.url}/v1"\n{NO_RETRY}')
    body, said = _ask(openai, "openai/o3-mini", {"OPENAI_API_KEY": "k"}, *SAMPLING)
    assert "temperature" not in body and "top_p" not in body
    assert body["seed"] == 7 and body["stop"] == ["END", "###"]
    lines = [line for line in said.splitlines() if "not sent" in line]
    assert lines == ["llmtui: warning: o3-mini (a reasoning model) refuses temperature or top_p: not sent"]


def test_model_table_in_config_fills_what_no_flag_sets(write_config, openai: FakeServer) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{openai.url}/openai/v1"\n\n'
                 '[defaults]\ntemperature = 1.5\n\n'
                 '[models."groq/llama-3.3-70b-versatile"]\ntemperature = 0.2\ntop_p = 0.5\nseed = 3\n'
                 f'stop = ["STOP"]\n{NO_RETRY}')
    body, _ = _ask(openai, "groq/llama-3.3-70b-versatile", {"GROQ_API_KEY": "k"}, "--seed", "9")
    # the flag over the model's table, the model's table over [defaults]
    assert (body["temperature"], body["top_p"], body["seed"], body["stop"]) == (0.2, 0.5, 9, ["STOP"])


def test_the_answer_is_stored_with_what_it_was_sent(write_config, openai: FakeServer,  # type: ignore[no-untyped-def]
                                                    isolated_env: Path) -> None:
    write_config(f'[providers.groq]\nbase_url = "{openai.url}/openai/v1"\n{NO_RETRY}')
    _ask(openai, "groq/llama-3.3-70b-versatile", {"GROQ_API_KEY": "k"}, *SAMPLING)
    with sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3") as db:
        stored = db.execute("SELECT params FROM messages WHERE role = 'assistant' "
                            "ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert json.loads(stored) == {"temperature": 0.3, "top_p": 0.9, "seed": 7, "stop": ["END", "###"]}


def test_anthropic_top_p_and_stop_sequences_no_seed(write_config) -> None:  # type: ignore[no-untyped-def]
    for server in _served(AnthropicFake(expected_key="k")):
        write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n{NO_RETRY}')
        env = {"ANTHROPIC_API_KEY": "k"}
        body, said = _ask(server, "anthropic/claude-sonnet-4-5", env, "--top-p", "0.8", "--seed", "7",
                          "--stop", "END")
        assert body["top_p"] == 0.8 and body["stop_sequences"] == ["END"]
        assert "seed" not in body
        assert "llmtui: warning: Anthropic takes no seed: not sent" in said.splitlines()
        # Newer Claude models refuse temperature and top_p together: temperature goes alone.
        body, said = _ask(server, "anthropic/claude-sonnet-4-5", env, "--temperature", "0.3",
                          "--top-p", "0.8")
        assert body["temperature"] == 0.3 and "top_p" not in body
        assert "top_p not sent" in said


def test_cohere_p_seed_stop_sequences(write_config) -> None:  # type: ignore[no-untyped-def]
    for server in _served(CohereFake(expected_key="k")):
        write_config(f'[providers.cohere]\nbase_url = "{server.url}"\n{NO_RETRY}')
        body, said = _ask(server, "cohere/command-a-03-2025", {"CO_API_KEY": "k"}, *SAMPLING)
        assert (body["p"], body["seed"], body["stop_sequences"]) == (0.9, 7, ["END", "###"])
        assert "top_p" not in body and "warning" not in said
        body, said = _ask(server, "cohere/command-a-03-2025", {"CO_API_KEY": "k"}, "--top-p", "1")
        assert body["p"] == 0.99  # Cohere documents p from 0.01 to 0.99
        assert "sent 0.99" in said


def test_bedrock_inference_config_top_p_stop_sequences(write_config) -> None:  # type: ignore[no-untyped-def]
    for server in _served(BedrockFake(expected_key="k")):
        write_config(f'[providers.bedrock]\nbase_url = "{server.url}"\nregion = "us-west-2"\n{NO_RETRY}')
        body, said = _ask(server, "bedrock/us.amazon.nova-lite-v1:0", {"AWS_BEARER_TOKEN_BEDROCK": "k"},
                          *SAMPLING)
        assert body["inferenceConfig"] == {"temperature": 0.3, "topP": 0.9, "stopSequences": ["END", "###"]}
        assert "seed" not in json.dumps(body)
        assert "llmtui: warning: AWS Bedrock takes no seed: not sent" in said.splitlines()


def test_replicate_input_top_p_seed_stop_sequences(write_config) -> None:  # type: ignore[no-untyped-def]
    for server in _served(ReplicateFake(expected_key="k")):
        write_config(f'[providers.replicate]\nbase_url = "{server.url}"\n{NO_RETRY}')
        body, said = _ask(server, "replicate/meta/meta-llama-3-8b-instruct", {"REPLICATE_API_TOKEN": "k"},
                          *SAMPLING)
        inputs = body["input"]
        assert (inputs["top_p"], inputs["seed"], inputs["stop_sequences"]) == (0.9, 7, "END,###")
        assert "warning" not in said
