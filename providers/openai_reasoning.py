"""Reasoning in the OpenAI Chat Completions dialect (openai_compat.py), both ways.

Asked for in the server's own fields, by the preset's `reasoning` option: `effort` sends
OpenAI's `reasoning_effort` (off -> "none", which gpt-5.1+, Groq and vLLM take); `gemini` the
same, or a `thinking_config` with `include_thoughts` in Google's documented `extra_body`, which
also asks for thought summaries; `none` sends nothing (the server rejects unknown fields).

It arrives in one of four shapes, all turned into ReasoningDelta: `delta.reasoning_content`
(DeepSeek, llama.cpp's server, older vLLM), `delta.reasoning` (OpenRouter, Groq with
`reasoning_format=parsed`, Together, newer vLLM, Ollama), OpenRouter's `delta.reasoning_details`
when no plain `reasoning` string came with it, and `<think>`/`<thought>` inline at the start of
`content` (think_tags.py). OpenAI's own models think without showing it: only
`usage.completion_tokens_details.reasoning_tokens` says they did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmtui.providers.base import ChatRequest, ReasoningDelta, TextDelta
from llmtui.providers.reasoning import thinking_budget
from llmtui.providers.think_tags import ThinkSplitter


def reasoning_fields(style: str, request: ChatRequest, body: dict[str, Any]) -> None:
    """Effort and budget into `body`, in the fields of this server's `style` (see above)."""
    effort = request.reasoning_effort
    if style == "none" or (effort is None and request.thinking_budget is None):
        return
    if style == "gemini":
        budget = thinking_budget(request)
        if request.thinking_budget is not None and budget is not None:
            # Gemini refuses reasoning_effort and thinking_budget together.
            config = {"thinking_budget": budget, "include_thoughts": True}
            body["extra_body"] = {"google": {"thinking_config": config}}
            return
        if effort == "off":
            body["reasoning_effort"] = "none"
            return
        body["reasoning_effort"] = effort
        body["extra_body"] = {"google": {"thinking_config": {"include_thoughts": True}}}
        return
    if effort is not None:
        body["reasoning_effort"] = "none" if effort == "off" else effort


def reasoning_pieces(delta: Mapping[str, Any]) -> list[str]:
    """The reasoning text in one delta (or whole message), whichever field the server used."""
    for name in ("reasoning_content", "reasoning"):
        value = delta.get(name)
        if isinstance(value, str) and value:
            return [value]
    pieces: list[str] = []
    details = delta.get("reasoning_details")
    for item in details if isinstance(details, list) else ():
        if not isinstance(item, dict):
            continue
        # OpenRouter: reasoning.text {text}, reasoning.summary {summary}, reasoning.encrypted {data}.
        text = item.get("text") if item.get("type") != "reasoning.summary" else item.get("summary")
        if isinstance(text, str) and text:
            pieces.append(text)
    return pieces


def _is_redacted(delta: Mapping[str, Any]) -> bool:
    details = delta.get("reasoning_details")
    return isinstance(details, list) and any(
        isinstance(item, dict) and item.get("type") == "reasoning.encrypted" for item in details
    )


def delta_events(
    delta: Mapping[str, Any], splitter: ThinkSplitter
) -> list[TextDelta | ReasoningDelta]:
    """One streamed delta (or a whole message) -> reasoning first, then answer text."""
    events: list[TextDelta | ReasoningDelta] = [ReasoningDelta(p) for p in reasoning_pieces(delta)]
    if not events and _is_redacted(delta):
        events.append(ReasoningDelta("", redacted=True))
    if events:
        splitter.server_splits()  # the server parsed the thought out: content is all answer
    text = delta.get("content")
    if isinstance(text, str) and text:
        events += splitter.feed(text)
    return events
