"""Which sampling parameters each provider family takes, and a request fitted to that.

A parameter the provider does not take is left out of the request and said in one line, never
dropped silently. From each provider's documentation:

- OpenAI dialect: `temperature`, `top_p`, `seed`, `stop` (up to 4). OpenAI's reasoning models
  (o-series, gpt-5: `hides_reasoning` presets) refuse `temperature` and `top_p`
  ("Unsupported parameter ... is not supported with this model"). Mistral names the seed
  `random_seed` (the adapter's `seed_field` option).
- Anthropic Messages: `temperature` (0-1), `top_p`, `stop_sequences`; no seed. Its docs say to
  set temperature or top_p, not both, and newer models (Claude Sonnet 4.5 on) refuse both
  together, so top_p is left out when both are set. Extended thinking takes no changed
  temperature and a top_p only from 0.95 to 1.
- Bedrock Converse: `inferenceConfig.temperature/topP/stopSequences`; no seed. Claude on
  Bedrock has Anthropic's rules.
- Cohere v2: `temperature`, `p` (0.01-0.99), `seed`, `stop_sequences` (up to 5).
- Replicate: `input.temperature/top_p/seed/stop_sequences`, the names Replicate's language
  models' schemas use (`stop_sequences` is one comma-separated string there); llmtui does not
  read each model's schema, so a model whose schema lacks one is sent it anyway.
- llama.cpp in-process: `temperature`, `top_p`, `seed`, `stop`. The demo simulates answers and
  takes everything (nothing is sent anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from llmtui.providers.base import ChatRequest, ProviderSpec
from llmtui.providers.reasoning import HIDDEN_REASONING_MODELS, wants_thinking

# provider kind -> the sampling parameters its API has at all
TAKES: dict[str, frozenset[str]] = {
    "openai": frozenset({"temperature", "top_p", "seed", "stop"}),
    "anthropic": frozenset({"temperature", "top_p", "stop"}),
    "bedrock": frozenset({"temperature", "top_p", "stop"}),
    "cohere": frozenset({"temperature", "top_p", "seed", "stop"}),
    "replicate": frozenset({"temperature", "top_p", "seed", "stop"}),
    "local": frozenset({"temperature", "top_p", "seed", "stop"}),
    "demo": frozenset({"temperature", "top_p", "seed", "stop"}),
}

COHERE_P = (0.01, 0.99)
ANTHROPIC_TEMPERATURE_MAX = 1.0
THINKING_TOP_P_MIN = 0.95


@dataclass(frozen=True, slots=True)
class Fitted:
    request: ChatRequest
    notes: tuple[str, ...] = ()
    """One line each: what was left out or changed, and why."""


def fit_sampling(spec: ProviderSpec, request: ChatRequest) -> Fitted:
    """`request` with only the sampling parameters this provider and model take."""
    label, model = spec.display_name, request.model
    notes: list[str] = []
    takes = TAKES.get(spec.kind, frozenset({"temperature"}))
    dropped = [name for name in ("temperature", "top_p", "seed", "stop") if _set(request, name)
               and name not in takes]
    if dropped:
        notes.append(f"{label} takes no {_names(dropped)}: not sent")
    if spec.kind == "openai" and spec.options.get("hides_reasoning") and HIDDEN_REASONING_MODELS.match(model):
        refused = [name for name in ("temperature", "top_p") if _set(request, name)]
        if refused:
            notes.append(f"{model} (a reasoning model) refuses {_names(refused)}: not sent")
            dropped += refused
    claude = spec.kind == "anthropic" or (spec.kind == "bedrock" and "claude" in model)
    if claude:
        dropped += _claude_rules(request, notes)
    request = _clear(request, dropped)
    if claude and request.temperature is not None and request.temperature > ANTHROPIC_TEMPERATURE_MAX:
        notes.append(f"{label} takes temperature 0 to 1: sent 1")
        request = replace(request, temperature=ANTHROPIC_TEMPERATURE_MAX)
    if spec.kind == "replicate" and any("," in stop for stop in request.stop):
        # Replicate's language models take stop_sequences as one comma-separated string.
        notes.append(f"{label} takes stop sequences without commas: those with one not sent")
        request = replace(request, stop=tuple(s for s in request.stop if "," not in s))
    if spec.kind == "cohere" and request.top_p is not None:
        low, high = COHERE_P
        p = min(max(request.top_p, low), high)
        if p != request.top_p:
            notes.append(f"{label} takes p (top_p) from {low} to {high}: sent {p}")
            request = replace(request, top_p=p)
    return Fitted(request, tuple(notes))


def _claude_rules(request: ChatRequest, notes: list[str]) -> list[str]:
    """What Claude refuses in this request (thinking, or temperature and top_p together)."""
    if wants_thinking(request) is True:
        refused = [] if request.temperature is None else ["temperature"]
        if request.top_p is not None and request.top_p < THINKING_TOP_P_MIN:
            refused.append("top_p")
        if refused:
            notes.append(f"Claude with thinking on takes no changed {_names(refused)} "
                         f"(top_p only {THINKING_TOP_P_MIN} to 1): not sent")
        return refused
    if request.temperature is not None and request.top_p is not None:
        notes.append("Claude takes temperature or top_p, not both: top_p not sent")
        return ["top_p"]
    return []


def _set(request: ChatRequest, name: str) -> bool:
    value = getattr(request, name)
    return value is not None and value != ()


def _clear(request: ChatRequest, names: list[str]) -> ChatRequest:
    if not names:
        return request
    return replace(request,
                   temperature=None if "temperature" in names else request.temperature,
                   top_p=None if "top_p" in names else request.top_p,
                   seed=None if "seed" in names else request.seed,
                   stop=() if "stop" in names else request.stop)


def _names(names: list[str]) -> str:
    return " or ".join(names)
