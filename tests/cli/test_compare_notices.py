"""`llmtui compare` says what `ask` says while answers stream (issue 14): each answer's
notices (usage ignored, max_tokens chosen to hold a limit) and retries go to stderr as they
happen, one line each, headed by the model, with nothing raw from the server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.fakes.hostile_wire import FAMILIES
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer, Request, Response

CONFIG = """
[providers.groq]
base_url = "{url}/openai/v1"

[network]
max_retries = 1

[budget]
per_request_usd = 0.5

[prices."groq/429-once"]
input = 1
output = 100

[prices."groq/absurd"]
input = 1
output = 100
"""
KEY = {"GROQ_API_KEY": "sk-test-123"}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = OpenAIFake()

    def handler(request: Request) -> Response:
        if request.path.endswith("/chat/completions") and request.json().get("model") == "absurd":
            body = FAMILIES["openai"].answer("Hello \x1b]52;c;aGk=\x07there", 10**20, 5)
            return Response(200, {"content-type": "text/event-stream"}, [(body, 0)])
        return fake(request)

    s = FakeServer(handler).start()
    yield s
    s.stop()


def test_compare_prints_each_answers_notices_headed_by_its_model(
        server: FakeServer, write_config, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    write_config(CONFIG.format(url=server.url))
    result = run_cli("compare", "-m", "groq/429-once", "-m", "groq/absurd", "--json", "hi", env=KEY)
    assert result.returncode == 0, result.stderr
    assert [r["text"] for r in json.loads(result.stdout)["results"]][1].startswith("Hello")
    lines = result.stderr.splitlines()
    notices = [line for line in lines if line.startswith("llmtui: [")]
    assert any(line.startswith("llmtui: [groq/429-once] ") and "retrying in 0.2s (attempt 2)" in line
               for line in notices), lines
    assert any(line.startswith("llmtui: [groq/absurd] warning: ignored the usage the server "
                               "reported (input_tokens = 100000000000000000000")
               for line in notices), lines
    for model in ("groq/429-once", "groq/absurd"):  # the cap that holds the per-request limit
        (cap,) = [line for line in notices
                  if line.startswith(f"llmtui: [{model}] warning: ") and "max_tokens" in line]
        assert "per-request spending limit" in cap
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
