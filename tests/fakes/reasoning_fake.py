"""Reasoning streams in the OpenAI dialect, as each server family sends them.

Served by OpenAIFake for models named `r-STYLE` or `r-STYLE-MS` (MS: milliseconds between
thought pieces, so a test can have a thinking phase of seconds before the first answer token),
or `r-STYLE-stall` (the whole thought at once, then 30 s of silence before the answer: a
steady mid-thought state for snapshots):
  r-deepseek    `delta.reasoning_content` then `delta.content` (DeepSeek API, older vLLM);
                usage.completion_tokens_details.reasoning_tokens
  r-openrouter  `delta.reasoning` plus the same text in `reasoning_details` (OpenRouter, Groq
                parsed, Together, newer vLLM, Ollama); one encrypted detail at the end
  r-inline      `<think>…</think>` at the start of `content`, the SSE body cut every 7 bytes so
                tags, JSON and UTF-8 are all split across network reads (HF router, Together)
  r-gemini      `<thought>…</thought>` summaries in content (Gemini with include_thoughts)
  r-opened      the thought with NO opening tag, a bare `</think>`, then the answer: the chat
                template opened `<think>` (DeepSeek-R1 / QwQ on vLLM without a reasoning parser);
                cut every 7 bytes like r-inline
  r-hidden      nothing for MS*6 ms, then the answer; only reasoning_tokens says it thought (OpenAI)
  r-silent      like r-hidden, but the server says nothing at all for MS*6 ms (no keep-alive)
  r-unclosed    `<think>` and the thought in content, never closed: no answer text at all
  r-overcount   like r-deepseek, but usage says 500 reasoning tokens of 10 completion tokens
                (cannot be right: the reasoning count is part of the output)
  r-llamacpp    llama.cpp's server (`--reasoning-format deepseek`, its default): reasoning_content,
                then content, a final chunk with `timings` and usage
Run by hand with the OpenAI fake: `python -m tests.fakes.openai_fake`, model `r-deepseek-300`.
"""

from __future__ import annotations

import json
import time
from typing import Any

THOUGHT = ["Let", " me", " think", " about", " «that»", "."]
ANSWER = ["Hello", ",", " world", "!"]
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}


def _sse(data: Any) -> bytes:
    return b"data: " + (data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()) + b"\n\n"


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
    return _sse({"id": "chatcmpl-r", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                 **extra})


def _usage(model: str, prompt: int, answer: int, reasoning: int, **extra: Any) -> bytes:
    return _sse({"id": "chatcmpl-r", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": model, "choices": [],
                 "usage": {"prompt_tokens": prompt, "completion_tokens": answer + reasoning,
                           "total_tokens": prompt + answer + reasoning,
                           "completion_tokens_details": {"reasoning_tokens": reasoning}},
                 **extra})


def scenario_of(model: str) -> tuple[str, float] | None:
    """`r-deepseek-300` -> ("deepseek", 0.3); None when the model is not a reasoning scenario."""
    name = model.rsplit("/", 1)[-1]
    if not name.startswith("r-"):
        return None
    style, _, ms = name[2:].partition("-")
    if ms == "stall":
        return style, -1.0
    return style, (int(ms) / 1000 if ms.isdigit() else 0.0)


def reasoning_pieces(model: str, prompt_tokens: int) -> list[tuple[bytes, float]] | None:
    """The (bytes, delay) script for a reasoning scenario, or None if `model` is not one."""
    found = scenario_of(model)
    if found is None:
        return None
    style, gap = found
    answer = [(_chunk(model, {"content": t}), 0.0) for t in ANSWER]
    if gap < 0:  # stall: thoughts at once, the answer 30 s later
        gap = 0.0
        answer[0] = (answer[0][0], 30.0)
    stop = (_chunk(model, {}, "stop"), 0.0)
    usage = (_usage(model, prompt_tokens, len(ANSWER), len(THOUGHT)), 0.0)
    done = (_sse(b"[DONE]"), 0.0)
    if style == "deepseek":
        thought = [(_chunk(model, {"role": "assistant", "content": None, "reasoning_content": t}), gap)
                   for t in THOUGHT]
        return thought + answer + [stop, usage, done]
    if style == "unclosed":
        frames = [(_chunk(model, {"content": t}), gap) for t in ["<think>", *THOUGHT]]
        return frames + [stop, usage, done]
    if style == "overcount":
        thought = [(_chunk(model, {"reasoning_content": t}), gap) for t in THOUGHT]
        wrong = _sse({"id": "chatcmpl-r", "object": "chat.completion.chunk", "created": int(time.time()),
                      "model": model, "choices": [],
                      "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 10,
                                "total_tokens": prompt_tokens + 10,
                                "completion_tokens_details": {"reasoning_tokens": 500}}})
        return thought + answer + [stop, (wrong, 0.0), done]
    if style == "openrouter":
        thought = [(_chunk(model, {"role": "assistant", "content": "", "reasoning": t,
                                   "reasoning_details": [{"type": "reasoning.text", "text": t,
                                                          "format": "unknown", "index": 0}]}), gap)
                   for t in THOUGHT]
        sealed = (_chunk(model, {"content": "", "reasoning_details": [
            {"type": "reasoning.encrypted", "data": "gAAAAB…", "format": "unknown", "index": 1}]}), 0.0)
        return thought + [sealed] + answer + [stop, usage, done]
    if style in ("inline", "gemini", "opened"):
        tag = "thought" if style == "gemini" else "think"
        opening = [] if style == "opened" else [f"\n<{tag}>\n"]
        text = [*opening, *THOUGHT, f"\n</{tag}>\n\n", *ANSWER]
        frames = b"".join(_chunk(model, {"content": t}) for t in text)
        frames += stop[0] + _usage(model, prompt_tokens, len(ANSWER), len(THOUGHT)) + done[0]
        return [(frames[i:i + 7], gap / 10) for i in range(0, len(frames), 7)]
    if style in ("hidden", "silent"):
        wait = gap * len(THOUGHT)
        first = [(_chunk(model, {"role": "assistant", "content": ""}), 0.0)] if style == "hidden" else []
        answer[0] = (answer[0][0], wait)
        return first + answer + [stop, (_usage(model, prompt_tokens, len(ANSWER), 64), 0.0), done]
    if style == "llamacpp":
        thought = [(_chunk(model, {"reasoning_content": t}, system_fingerprint="b6000-fake"), gap)
                   for t in THOUGHT]
        timings = {"prompt_n": prompt_tokens, "predicted_n": len(THOUGHT) + len(ANSWER),
                   "predicted_per_second": 42.0}
        last = _chunk(model, {}, "stop", timings=timings,
                      usage={"prompt_tokens": prompt_tokens,
                             "completion_tokens": len(THOUGHT) + len(ANSWER),
                             "total_tokens": prompt_tokens + len(THOUGHT) + len(ANSWER)})
        return thought + answer + [(last, 0.0), done]
    return None
