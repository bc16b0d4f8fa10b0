"""A fake OpenAI-compatible provider for money: usage (good, huge, malformed), reported costs
(OpenRouter `usage.cost` and the `provider` it routed to, xAI `cost_in_usd_ticks`), slow and
endless answers, and an OpenRouter-format model list (`GET /api/v1/models`).

The scenario is the model name's last part:
  usage-N          4 tokens of text, usage reporting N completion tokens (or the request's
                   max_tokens when it is lower: a real server stops there)
  slow-usage-N     the same, streamed over ~2 s (for two processes racing)
  endless          a token every 50 ms, never ending (for kill -9 mid-answer)
  usage-negative   prompt_tokens = completion_tokens = -100000000
  usage-float      1000000.5 / 2.5   usage-strings  "1000000"
  usage-empty      {}                 usage-nan      NaN / Infinity (Python's json writes them)
  openrouter       (also any claude-*) `provider` on every chunk, usage with `cost` (credits = USD) and cache reads
  or-nan-cost      usage.cost NaN     or-negative-cost  usage.cost -5
  xai-ticks        usage.cost_in_usd_ticks 37756000 ($0.0037756)
`MODELS` is the list GET /api/v1/models serves: OpenRouter's documented shape, USD per token as
strings, plus entries a broken list could hold (NaN, negative, absurd prices).
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.fakes.server import FakeServer, Request, Response

SSE = {"content-type": "text/event-stream", "cache-control": "no-cache"}
TEXT = ["Four", " tokens", " of", " text"]

MODELS: dict[str, Any] = {"data": [
    {"id": "anthropic/claude-sonnet-4.5", "name": "Anthropic: Claude Sonnet 4.5",
     "context_length": 1000000,
     "architecture": {"modality": "text+image->text", "input_modalities": ["text", "image", "file"],
                      "output_modalities": ["text"], "tokenizer": "Claude"},
     "pricing": {"prompt": "0.000003", "completion": "0.000015", "request": "0", "image": "0.0048",
                 "input_cache_read": "0.0000003", "input_cache_write": "0.00000375"},
     "top_provider": {"context_length": 1000000, "max_completion_tokens": 64000,
                      "is_moderated": True},
     "per_request_limits": None,
     "supported_parameters": ["max_tokens", "temperature", "tools", "reasoning"]},
    {"id": "meta-llama/llama-3.3-70b-instruct:free", "context_length": 131072,
     "architecture": {"input_modalities": ["text"], "output_modalities": ["text"]},
     "pricing": {"prompt": "0", "completion": "0"},
     "top_provider": {"context_length": 131072, "max_completion_tokens": None},
     "supported_parameters": ["max_tokens"]},
    {"id": "openrouter/auto", "context_length": 2000000,
     "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
     "pricing": {"prompt": "-1", "completion": "-1"}},
    {"id": "evil/nan-price", "context_length": 8192,
     "pricing": {"prompt": "NaN", "completion": "0.000001"}},
    {"id": "evil/negative-price", "context_length": 8192,
     "pricing": {"prompt": "-0.000005", "completion": "-0.000005"}},
    {"id": "evil/absurd-price", "context_length": 8192,
     "pricing": {"prompt": "1e300", "completion": "Infinity"}},
    {"id": "google/image-maker", "context_length": 8192,
     "architecture": {"input_modalities": ["text"], "output_modalities": ["image"]},
     "pricing": {"prompt": "0.000001", "completion": "0.00003"}},
]}


def _sse(data: Any) -> bytes:
    return b"data: " + (data if isinstance(data, bytes) else json.dumps(data).encode()) + b"\n\n"


def _chunk(model: str, content: str | None, finish: str | None = None, **extra: Any) -> bytes:
    delta = {} if content is None else {"content": content}
    return _sse({"id": "gen-1", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                 **extra})


class MoneyFake:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        if request.method == "GET" and request.path.endswith("/models"):
            return Response.json_body(MODELS)
        body = request.json()
        self.bodies.append(body)
        return self.chat(str(body.get("model", "")), body)

    def chat(self, model: str, body: dict[str, Any]) -> Response:
        scenario = model.rsplit("/", 1)[-1].split(":")[0]
        if scenario.startswith("claude"):
            scenario = "openrouter"  # the listed model answers as OpenRouter does
        cap = body.get("max_tokens") or body.get("max_completion_tokens")
        extra: dict[str, Any] = {"provider": "DeepInfra"} if scenario.startswith(("or-", "openrouter")) else {}
        delay = 0.5 if scenario.startswith("slow-") else 0.0
        text = [(_chunk(model, t, **extra), delay) for t in TEXT]
        if scenario == "endless":
            return Response(200, SSE, [(_chunk(model, f" w{i}"), 0.05) for i in range(100_000)])
        usage: Any = {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14}
        if scenario.startswith(("usage-", "slow-usage-")) and scenario.rsplit("-", 1)[-1].isdigit():
            out = int(scenario.rsplit("-", 1)[-1])
            out = min(out, int(cap)) if isinstance(cap, int) else out
            usage = {"prompt_tokens": 10, "completion_tokens": out, "total_tokens": 10 + out}
        usage = {
            "usage-negative": {"prompt_tokens": -100000000, "completion_tokens": -100000000},
            "usage-float": {"prompt_tokens": 1000000.5, "completion_tokens": 2.5},
            "usage-strings": {"prompt_tokens": "1000000", "completion_tokens": "1000000"},
            "usage-empty": {},
            "usage-nan": {"prompt_tokens": float("nan"), "completion_tokens": float("inf")},
            "openrouter": {"prompt_tokens": 1200, "completion_tokens": 4, "total_tokens": 1204,
                           "prompt_tokens_details": {"cached_tokens": 1024},
                           "completion_tokens_details": {"reasoning_tokens": 0},
                           "cost": 0.00125, "cost_details": {"upstream_inference_cost": None}},
            "or-nan-cost": {"prompt_tokens": 10, "completion_tokens": 4, "cost": float("nan")},
            "or-negative-cost": {"prompt_tokens": 10, "completion_tokens": 4, "cost": -5},
            "xai-ticks": {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14,
                          "cost_in_usd_ticks": 37756000},
        }.get(scenario, usage)
        end = [(_chunk(model, None, "stop", **extra), 0),
               (_sse({"id": "gen-1", "object": "chat.completion.chunk", "model": model,
                      "choices": [], "usage": usage, **extra}), 0),
               (_sse(b"[DONE]"), 0)]
        return Response(200, SSE, text + end)


def start_money_fake() -> tuple[FakeServer, MoneyFake]:
    fake = MoneyFake()
    return FakeServer(fake).start(), fake


KEYS = {"GROQ_API_KEY": "sk-test-123", "OPENROUTER_API_KEY": "sk-or-test", "XAI_API_KEY": "xai-t"}


def config(url: str, extra: str = "") -> str:
    """groq, openrouter and xai at the fake; groq/usage-* priced $1 in / $10 out per 1M."""
    return f"""
[providers.groq]
base_url = "{url}/v1"
[providers.openrouter]
base_url = "{url}/api/v1"
[providers.xai]
base_url = "{url}/v1"
[network]
max_retries = 0

[prices."groq/usage-1000000"]
input = 1
output = 10
[prices."groq/slow-usage-600000"]
input = 1
output = 1
[prices."groq/endless"]
input = 1
output = 10
{extra}
"""
