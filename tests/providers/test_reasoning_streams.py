"""Every adapter turns its provider's reasoning stream into ReasoningDelta, and maps the controls.

Loopback fakes speak each documented format (tests/fakes/reasoning_fake.py and the native
fakes' `thinking` scenarios); the request bodies they record show the controls' mapping.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from llmtui.providers.anthropic import AnthropicProvider
from llmtui.providers.base import (
    ChatRequest,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    UsageReport,
)
from llmtui.providers.bedrock import BedrockProvider
from llmtui.providers.cohere import CohereProvider
from llmtui.providers.openai_compat import OpenAICompatProvider
from tests.fakes.anthropic_fake import start_anthropic_fake
from tests.fakes.bedrock_fake import BedrockFake
from tests.fakes.cohere_fake import CohereFake
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.reasoning_fake import ANSWER, THOUGHT
from tests.fakes.server import FakeServer
from tests.providers.helpers import ask, collect, spec_for


@pytest.fixture
def openai(openai_server: tuple[FakeServer, OpenAIFake]) -> FakeServer:
    return openai_server[0]


KEY = "sk-test-123"


def split(events: list[StreamEvent]) -> tuple[str, str, list[StreamEvent]]:
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert isinstance(events[-1], StreamDone), events[-1]
    # Reasoning comes first: nothing of it after the answer started.
    kinds = [type(e) for e in events if isinstance(e, (ReasoningDelta, TextDelta))]
    assert ReasoningDelta not in kinds[kinds.index(TextDelta):] if TextDelta in kinds else True
    return reasoning, answer, events


def usage_of(events: list[StreamEvent]) -> Any:
    return [e.usage for e in events if isinstance(e, UsageReport)][-1]


@pytest.mark.parametrize("style", ["deepseek", "openrouter", "inline", "gemini", "llamacpp"])
def test_openai_dialect_reasoning_in_each_shape(openai: FakeServer, style: str) -> None:
    events = collect(OpenAICompatProvider, spec_for("together", openai.url), KEY, ask(f"r-{style}"))
    reasoning, answer, _ = split(events)
    assert reasoning.strip() == "".join(THOUGHT)
    assert answer == "".join(ANSWER)
    if style == "openrouter":  # the encrypted detail says some thinking is not shown
        assert any(isinstance(e, ReasoningDelta) and e.redacted for e in events)
    usage = usage_of(events)
    if style == "llamacpp":
        assert usage.reasoning_tokens is None  # llama.cpp does not split its count
    else:
        assert usage.reasoning_tokens == len(THOUGHT)
        assert usage.output_tokens == len(THOUGHT) + len(ANSWER)


@pytest.mark.parametrize(("model", "flag"), [
    ("deepseek-ai/DeepSeek-R1/r-opened", None),  # known by name: its template opens <think>
    ("r-opened", True),  # configured: [models."P/M"] starts_in_thought = true
])
def test_a_stream_that_starts_inside_a_thought(openai: FakeServer, model: str, flag: bool | None) -> None:
    request = ask(model, starts_in_thought=flag)
    events = collect(OpenAICompatProvider, spec_for("hf", openai.url), KEY, request)
    reasoning, answer, _ = split(events)
    assert (reasoning.strip(), answer) == ("".join(THOUGHT), "".join(ANSWER))


def test_a_bare_closing_tag_is_answer_text_unless_the_model_thinks_that_way(openai: FakeServer) -> None:
    for request in (ask("r-opened"), ask("deepseek-ai/DeepSeek-R1/r-opened", reasoning_effort="off"),
                    ask("deepseek-ai/DeepSeek-R1/r-opened", starts_in_thought=False)):
        reasoning, answer, _ = split(collect(OpenAICompatProvider, spec_for("hf", openai.url), KEY, request))
        assert reasoning == ""
        assert answer == "".join(THOUGHT) + "\n</think>\n\n" + "".join(ANSWER)


def test_a_server_that_parses_the_thought_keeps_the_content_as_answer(openai: FakeServer) -> None:
    # DeepSeek-R1 behind a server with a reasoning parser: reasoning_content, then a plain answer.
    request = ask("deepseek-ai/DeepSeek-R1/r-deepseek")
    reasoning, answer, _ = split(collect(OpenAICompatProvider, spec_for("hf", openai.url), KEY, request))
    assert (reasoning, answer) == ("".join(THOUGHT), "".join(ANSWER))


def test_openai_hidden_reasoning_reports_only_a_count(openai: FakeServer) -> None:
    events = collect(OpenAICompatProvider, spec_for("openai", openai.url), KEY, ask("r-hidden"))
    reasoning, answer, _ = split(events)
    assert (reasoning, answer) == ("", "".join(ANSWER))
    assert usage_of(events).reasoning_tokens == 64


def body_for(provider: str, url: str, **controls: Any) -> dict[str, Any]:
    spec = spec_for(provider, url)
    request = ask("m", max_tokens=500, temperature=0.3, **controls)
    return OpenAICompatProvider(spec, None, "k").body(request)  # type: ignore[arg-type]


def test_openai_dialect_controls_map_to_each_servers_fields() -> None:
    assert body_for("openai", "http://x", reasoning_effort="high")["reasoning_effort"] == "high"
    assert body_for("groq", "http://x", reasoning_effort="off")["reasoning_effort"] == "none"
    assert "reasoning_effort" not in body_for("groq", "http://x")
    assert "reasoning_effort" not in body_for("mistral", "http://x", reasoning_effort="high")
    gemini = body_for("gemini", "http://x", reasoning_effort="low")
    assert gemini["reasoning_effort"] == "low"
    assert gemini["extra_body"] == {"google": {"thinking_config": {"include_thoughts": True}}}
    # A budget goes in thinking_config alone: Gemini refuses both controls together.
    budget = body_for("gemini", "http://x", reasoning_effort="low", thinking_budget=800)
    assert "reasoning_effort" not in budget
    assert budget["extra_body"]["google"]["thinking_config"] == {"thinking_budget": 800,
                                                                 "include_thoughts": True}


def test_anthropic_thinking_blocks_and_request() -> None:
    server, fake = start_anthropic_fake()
    try:
        request = ask("thinking", max_tokens=500, temperature=0.3, thinking_budget=2000)
        events = collect(AnthropicProvider, spec_for("anthropic", server.url), "sk-ant-test", request)
    finally:
        server.stop()
    reasoning, answer, _ = split(events)
    assert reasoning == "Let me think about «that»."
    assert answer == "Hello from Claude!"
    assert any(isinstance(e, ReasoningDelta) and e.redacted for e in events)
    body = fake.bodies[-1]
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2000}
    assert body["max_tokens"] == 2500  # budget_tokens must stay below max_tokens
    assert "temperature" not in body  # thinking refuses a changed temperature
    assert [m["role"] for m in body["messages"]] == ["user"]
    # This API version reports output_tokens alone: the thinking count is left to an estimate.
    assert usage_of(events).reasoning_tokens is None


def test_anthropic_thinking_tokens_reported_apart_are_used_as_reported() -> None:
    server, _ = start_anthropic_fake()
    try:
        request = ask("thinking-counted", thinking_budget=2000)
        events = collect(AnthropicProvider, spec_for("anthropic", server.url), "sk-ant-test", request)
    finally:
        server.stop()
    usage = usage_of(events)
    assert (usage.output_tokens, usage.reasoning_tokens) == (40, 31)


def test_anthropic_thinking_count_that_cannot_be_right_is_not_used() -> None:
    """The adapter reads the field as sent; the boundary every provider's stream passes
    (boundary.clean_event) drops a count that cannot be right, and the rest of the usage stands."""
    from llmtui.providers.anthropic import usage_from_anthropic
    from llmtui.providers.boundary import clean_event

    for details in ({"thinking_tokens": 90}, {"thinking_tokens": "31"}, {"thinking_tokens": -1}, {}):
        sent = usage_from_anthropic({"input_tokens": 5, "output_tokens": 40, "output_tokens_details": details})
        event = clean_event(UsageReport(sent), None)
        assert isinstance(event, UsageReport)
        assert (event.usage.input_tokens, event.usage.output_tokens, event.usage.reasoning_tokens) == (5, 40, None)


def test_anthropic_effort_levels_become_budgets_and_off_disables() -> None:
    provider = AnthropicProvider(spec_for("anthropic", "http://x"), None, "k")  # type: ignore[arg-type]
    assert provider.body(ask("m", reasoning_effort="low"))["thinking"]["budget_tokens"] == 1024
    assert provider.body(ask("m", thinking_budget=10))["thinking"]["budget_tokens"] == 1024
    assert provider.body(ask("m", reasoning_effort="off"))["thinking"] == {"type": "disabled"}
    assert "thinking" not in provider.body(ask("m"))


def test_bedrock_reasoning_content_and_claude_thinking_fields() -> None:
    fake = BedrockFake()
    server = FakeServer(fake).start()
    try:
        spec = spec_for("bedrock", server.url, region="us-east-1")
        request = ask("anthropic.claude.reasoning", max_tokens=300, reasoning_effort="medium")
        events = collect(BedrockProvider, spec, "bedrock-api-key-test", request)
    finally:
        server.stop()
    reasoning, answer, _ = split(events)
    assert (reasoning, answer) == ("Let me think.", "Hello from Bedrock!")
    assert any(isinstance(e, ReasoningDelta) and e.redacted for e in events)
    body = fake.bodies[-1]
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled", "budget_tokens": 4096}}
    assert body["inferenceConfig"]["maxTokens"] == 300 + 4096


def test_cohere_thinking_deltas_and_request() -> None:
    fake = CohereFake()
    server = FakeServer(fake).start()
    try:
        request = ask("thinking", reasoning_effort="high")
        events = collect(CohereProvider, spec_for("cohere", server.url), "co-test-key", request)
        off = ask("ok", reasoning_effort="off")
        collect(CohereProvider, spec_for("cohere", server.url), "co-test-key", off)
    finally:
        server.stop()
    reasoning, answer, _ = split(events)
    assert (reasoning, answer) == ("Let me think.", "Hello from Command!")
    assert fake.bodies[0]["thinking"] == {"type": "enabled", "token_budget": 16384}
    assert fake.bodies[1]["thinking"] == {"type": "disabled"}


class _FakeLlama:
    """Stands in for llama_cpp.Llama: streams a GGUF's `<think>` output one token per chunk."""

    metadata: Mapping[str, str] = {}
    n_tokens = 20

    def create_chat_completion(self, **_: Any) -> Iterator[dict[str, Any]]:
        for piece in ["<th", "ink>", "Let", " me", " think", "</th", "ink>", "\n\n", "Hi", "!"]:
            yield {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
        yield {"choices": [{"delta": {}, "finish_reason": "stop"}]}


def test_local_gguf_that_thinks_inline(tmp_path: Path) -> None:
    from llmtui.providers import local, local_models

    gguf = tmp_path / "thinker.gguf"
    gguf.write_bytes(b"GGUF")
    model = local_models.LocalModel("thinker", gguf, local_models.USER_N_CTX)
    local_models._WARM[(str(gguf), model.n_ctx)] = local_models._Warm(_FakeLlama(), 0.0)
    got: list[Any] = []
    done = threading.Event()

    def emit(item: Any) -> None:
        got.append(item)
        if isinstance(item, local._End):
            done.set()

    try:
        local.Generation(model, [{"role": "user", "content": "hi"}], {}, emit).start()
        assert done.wait(10)
    finally:
        local_models._WARM.pop((str(gguf), model.n_ctx), None)
    events = [e for e in got if not isinstance(e, local._End)]
    reasoning, answer, _ = split(events)
    assert (reasoning, answer) == ("Let me think", "Hi!")
    assert usage_of(events).reasoning_tokens == 7  # chunks spent inside the tags


def test_thinking_phase_of_seconds_arrives_as_it_is_made(openai: FakeServer) -> None:
    """r-deepseek-300: six thought pieces 0.3 s apart; the first arrives long before the answer."""

    async def first_kinds() -> list[str]:
        import httpx

        async with httpx.AsyncClient(timeout=10) as client:
            provider = OpenAICompatProvider(spec_for("deepseek", openai.url), client, KEY)
            kinds: list[str] = []
            async for event in provider.stream(ChatRequest("r-deepseek-300", ask("x").messages)):
                if isinstance(event, (ReasoningDelta, TextDelta)):
                    kinds.append(type(event).__name__)
            return kinds

    kinds = asyncio.run(first_kinds())
    assert kinds[: len(THOUGHT)] == ["ReasoningDelta"] * len(THOUGHT)
    assert kinds[len(THOUGHT):] == ["TextDelta"] * len(ANSWER)


def test_the_demo_reasoner_thinks_no_longer_than_its_budget() -> None:
    from llmtui.providers.demo import DemoProvider
    from llmtui.providers.presets import PRESETS

    for budget, pieces in ((3, 3), (None, None)):
        events = collect(DemoProvider, PRESETS["demo"], None,
                         ask("simulated-reasoner", max_tokens=2, thinking_budget=budget))
        thought = [e for e in events if isinstance(e, ReasoningDelta)]
        assert len(thought) == pieces if pieces is not None else len(thought) > 3
        assert usage_of(events).reasoning_tokens == len(thought)


def test_a_bad_thinking_count_alone_leaves_the_rest_of_the_usage_standing() -> None:
    """Tester item 3 (low side): an unreadable or impossible reasoning count threw away valid
    input and output counts too. At the boundary only that field goes."""
    from llmtui.providers.base import Usage
    from llmtui.providers.boundary import UNREADABLE, clean_event

    for thinking in (UNREADABLE, 41, -3, 10**20):
        cleaned = clean_event(UsageReport(Usage(5, 40, reasoning_tokens=thinking)), None)
        assert isinstance(cleaned, UsageReport), (thinking, cleaned)
        assert (cleaned.usage.input_tokens, cleaned.usage.output_tokens) == (5, 40)
        assert cleaned.usage.reasoning_tokens is None
    kept = clean_event(UsageReport(Usage(5, 40, reasoning_tokens=40)), None)
    assert isinstance(kept, UsageReport) and kept.usage.reasoning_tokens == 40
