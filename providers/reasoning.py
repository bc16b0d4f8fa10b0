"""How a request's reasoning controls become a thinking budget, for providers that take tokens.

Anthropic, Bedrock-Claude, Cohere and Gemini size thinking in tokens, not levels. An explicit
`thinking_budget` wins; otherwise the effort picks one of these (Anthropic's documented minimum
is 1,024 tokens; the others are the sizes its docs use as examples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llmtui.providers.base import EFFORTS, ChatRequest, Effort, ProviderSpec

# Models whose chat templates end the prompt with `<think>` (DeepSeek-R1 and its distills,
# QwQ, the Qwen3 *-Thinking-2507 models): served without a reasoning parser, their text starts
# inside the thought. Not hybrid Qwen3, whose template may close an empty thought itself.
OPENS_THOUGHT_IN_TEMPLATE = re.compile(r"deepseek-r1|qwq|qwen3-.*thinking", re.IGNORECASE)

# OpenAI's reasoning families, which think without showing it (o1, o3-mini, o4-mini, gpt-5*...).
HIDDEN_REASONING_MODELS = re.compile(r"^(o\d|gpt-5|codex)", re.IGNORECASE)

EFFORT_BUDGETS: dict[str, int] = {"low": 1024, "medium": 4096, "high": 16384}


def wants_thinking(request: ChatRequest) -> bool | None:
    """True: think; False: asked not to (`off`); None: the provider's default."""
    if request.reasoning_effort == "off":
        return False
    if request.reasoning_effort is not None or request.thinking_budget is not None:
        return True
    return None


def thinking_budget(request: ChatRequest, minimum: int = 0) -> int | None:
    """Tokens to think with, or None when the request leaves thinking at the default or off."""
    if wants_thinking(request) is not True:
        return None
    budget = request.thinking_budget
    if budget is None:
        budget = EFFORT_BUDGETS[request.reasoning_effort or "medium"]
    return max(minimum, budget)


def thinks_out_of_sight(spec: ProviderSpec, model: str) -> bool:
    """A model that reasons but whose provider never shows the reasoning (only a token count)."""
    return bool(spec.options.get("hides_reasoning")) and bool(HIDDEN_REASONING_MODELS.match(model))


def may_think_silently(spec: ProviderSpec, request: ChatRequest) -> bool:
    """The first token may come only after a long, silent think: wait longer for it."""
    return thinks_out_of_sight(spec, request.model) or wants_thinking(request) is True


def starts_in_thought(request: ChatRequest) -> bool:
    """Read the answer as starting inside a thought (a bare `</think>` ends it): configured
    per model (`starts_in_thought`), else known by name; never when thinking is switched off."""
    if request.reasoning_effort == "off":
        return False
    if request.starts_in_thought is not None:
        return request.starts_in_thought
    return bool(OPENS_THOUGHT_IN_TEMPLATE.search(request.model))


@dataclass(frozen=True, slots=True)
class Controls:
    """What a provider's adapter does with the reasoning controls, for a picker to offer.

    `efforts`: the levels it maps (empty: it sends none); `budget`: the thinking budget's
    (least, most) tokens when it takes one, else None.
    """

    efforts: tuple[Effort, ...] = ()
    budget: tuple[int, int] | None = None


NO_CONTROLS = Controls()
# Anthropic: budget_tokens ≥ 1,024 (its docs); the adapter raises max_tokens by the budget, so
# "below max_tokens" always holds. 128k is the most any Claude writes (3.7 Sonnet, with a beta).
ANTHROPIC_BUDGET = (1024, 128_000)
# Gemini 2.5: Pro takes 128-32,768, Flash 0-24,576, Flash-Lite 512-24,576: the range all take.
GEMINI_BUDGET = (512, 24_576)
# Cohere Command A Reasoning: token_budget ≥ 1 (its docs give no other floor); 32k of its output.
COHERE_BUDGET = (1, 32_000)
# A blind compare offers what every model in it could take, whoever sits in a lane: levels only
# (their lists differ by provider, and so would give a lane away), applied to both lanes alike.
BLIND_CONTROLS = Controls(efforts=("low", "medium", "high"))


def controls_for(spec: ProviderSpec, model: str) -> Controls:
    """What this provider's adapter maps (see each adapter's body(): these are the same rules)."""
    if spec.kind == "anthropic":
        return Controls(EFFORTS, ANTHROPIC_BUDGET)
    if spec.kind == "bedrock":  # only Claude's thinking is mapped (additionalModelRequestFields);
        # without it Claude does not think, so "off" is its default, not a level to pick
        return Controls(EFFORTS[1:], ANTHROPIC_BUDGET) if "claude" in model else NO_CONTROLS
    if spec.kind == "cohere":
        return Controls(EFFORTS, COHERE_BUDGET)
    if spec.kind == "demo":  # the simulated reasoners think less on a smaller budget
        return Controls(EFFORTS, (1, 100_000))
    if spec.kind != "openai":
        return NO_CONTROLS  # llama.cpp in process, Replicate: no field to send
    style = spec.options.get("reasoning", "effort")
    if style == "none":
        return NO_CONTROLS
    if style == "gemini":
        return Controls(EFFORTS, GEMINI_BUDGET)
    return Controls(EFFORTS)  # reasoning_effort; off is sent as "none"
