"""The shape of `config.toml`: one frozen dataclass per table, and what the app asks of them
(a preset by name, a model's sampling, a provider's merged spec, its key's env vars).

config.py reads the file into these; config_tables.py builds each table, checking every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from llmtui.core.config_checks import ConfigError
from llmtui.core.sampling import Sampling
from llmtui.providers.base import Effort, Price, ProviderSpec
from llmtui.providers.presets import ENV_VARS, PRESETS


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One `[providers.NAME]` table."""

    base_url: str | None = None
    kind: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    models: tuple[str, ...] = ()
    model_paths: Mapping[str, str] = field(default_factory=dict)
    """`local` provider: name -> GGUF path."""
    bill_to: str | None = None
    """HF router: organisation billed through `X-HF-Bill-To`."""
    api_version: str | None = None
    """Azure classic deployments: `api-version` query parameter."""
    region: str | None = None
    """Bedrock region (else `AWS_REGION`)."""
    profile: str | None = None
    """Bedrock: the AWS profile for credentials (else `AWS_PROFILE`, else `default`)."""
    api_key_env: str | None = None
    """Env var that holds this provider's key (custom providers)."""
    monthly_usd: Decimal | None = None
    """Hard monthly spend limit for this provider."""
    label: str | None = None
    allow_insecure: bool = False
    """Send the key over plain http:// to a host that is not this machine (else refused)."""


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """One `[models."PROVIDER/MODEL"]` table: how a reasoning model should think, and how to sample."""

    reasoning_effort: Effort | None = None
    """off | low | medium | high (off only where the provider can switch thinking off)."""
    thinking_budget: int | None = None
    """Most tokens to think with (Anthropic, Bedrock-Claude, Cohere, Gemini take a budget)."""
    starts_in_thought: bool | None = None
    """The server's template opens `<think>`: the text starts inside a thought and a bare
    `</think>` ends it (None: known model names only; providers/think_tags.py)."""
    sampling: Sampling = field(default_factory=Sampling)
    """temperature, top_p, max_tokens, seed, stop: under a flag or the panel, over [defaults]."""


@dataclass(frozen=True, slots=True)
class Defaults:
    model: str | None = None
    """Model for a new chat, `PROVIDER/MODEL`."""
    compare: tuple[str, ...] = ()
    """Two models for compare mode."""
    system: str | None = None
    sampling: Sampling = field(default_factory=Sampling)
    """temperature, top_p, max_tokens, seed, stop for every model, under [models."REF"]."""


@dataclass(frozen=True, slots=True)
class Preset:
    """One `[presets.NAME]` table: a persona to start a conversation with."""

    name: str
    system: str | None = None
    model: str | None = None
    sampling: Sampling = field(default_factory=Sampling)
    """temperature, top_p, max_tokens, seed, stop: as the flags, over [models."REF"]."""


@dataclass(frozen=True, slots=True)
class Budget:
    per_request_usd: Decimal | None = None
    daily_usd: Decimal | None = None
    monthly_usd: Decimal | None = None
    allow_unpriced: bool = False
    """Send requests to a model whose price nobody knows although a limit is set (uncounted)."""


@dataclass(frozen=True, slots=True)
class Network:
    connect_timeout: float = 10.0
    read_timeout: float = 300.0
    """Longest wait for the first byte of an answer."""
    idle_timeout: float = 60.0
    """Longest silence in the middle of a stream before it counts as stalled."""
    think_timeout: float = 900.0
    """Longest wait for the first token when the model may think without showing it (OpenAI's
    o-series and gpt-5, or a request with a reasoning effort or budget); read_timeout otherwise."""
    max_retries: int = 2
    """Retries of a 429/5xx before the first token; never after text arrived."""
    max_retry_wait: float = 30.0
    max_answer_s: float = 3600.0
    """Longest one answer may take, first byte to last, however steadily it drips."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    providers: Mapping[str, ProviderConfig] = field(default_factory=dict)
    prices: Mapping[str, Price] = field(default_factory=dict)
    """`[prices]` tables as Prices (source `config.toml [prices]`)."""
    defaults: Defaults = field(default_factory=Defaults)
    budget: Budget = field(default_factory=Budget)
    network: Network = field(default_factory=Network)
    keymap: Mapping[str, str] = field(default_factory=dict)
    theme: str | None = None
    models: Mapping[str, ModelSettings] = field(default_factory=dict)
    presets: Mapping[str, Preset] = field(default_factory=dict)

    def preset(self, name: str) -> Preset:
        """The named preset; ConfigError (naming the ones that exist) if there is none."""
        found = self.presets.get(name)
        if found is None:
            known = ", ".join(self.presets) or "none; add [presets.NAME] to config.toml"
            raise ConfigError(f"no preset {name!r} (presets: {known})")
        return found

    def model_settings(self, ref: str) -> ModelSettings:
        """The `[models."REF"]` table for this model, or the defaults."""
        return self.models.get(ref) or ModelSettings()

    def sampling_for(self, ref: str, explicit: Sampling) -> Sampling:
        """What `ref` is asked for: `explicit` (flags, a preset, the panel), then the model's
        `[models."REF"]` table, then [defaults]."""
        return explicit.over(self.model_settings(ref).sampling).over(self.defaults.sampling)

    def provider_ids(self) -> list[str]:
        return list(dict.fromkeys([*PRESETS, *self.providers]))

    def provider_spec(self, provider_id: str) -> ProviderSpec:
        """The preset merged with `[providers.ID]`; raises ConfigError if unknown."""
        preset = PRESETS.get(provider_id)
        user = self.providers.get(provider_id)
        if preset is None and user is None:
            raise ConfigError(
                f"unknown provider {provider_id!r}: known are {', '.join(self.provider_ids())}; "
                f"add [providers.{provider_id}] with kind and base_url to config.toml"
            )
        spec = preset or ProviderSpec(
            id=provider_id, kind="openai", base_url="", env_var=None, label=provider_id
        )
        if user is None:
            return spec
        options = dict(spec.options)
        for name in ("bill_to", "api_version", "region", "profile"):
            value = getattr(user, name)
            if value is not None:
                options[name] = value
        if user.allow_insecure:
            options["allow_insecure"] = True
        if user.model_paths:
            options["model_paths"] = dict(user.model_paths)
        env_var = user.api_key_env or spec.env_var
        key_required = spec.key_required
        if preset is None:
            # A custom server (vLLM, LM Studio...) needs a key only if one is configured.
            key_required = bool(user.api_key_env)
        return replace(
            spec,
            kind=user.kind or spec.kind,
            base_url=user.base_url or spec.base_url,
            env_var=env_var,
            key_required=key_required,
            headers={**spec.headers, **user.headers},
            models=user.models or spec.models,
            options=options,
            label=user.label or spec.label,
        )

    def env_vars(self, provider_id: str) -> tuple[str, ...]:
        user = self.providers.get(provider_id)
        if user is not None and user.api_key_env:
            return (user.api_key_env,)
        key_from = PRESETS[provider_id].options.get("key_from") if provider_id in PRESETS else None
        return ENV_VARS.get(str(key_from or provider_id), ())
