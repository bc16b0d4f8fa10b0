"""The user's `config.toml`, validated strictly into frozen dataclasses.

The app never writes this file (tomli-w would drop the user's comments); what it
saves goes to `settings.toml` beside it (core/settings.py). Any error names the file, line
and key (the value checks are core/config_checks.py).

Longer than ~350 lines because it is the whole config's shape and its validation in one
place: each table's dataclass beside the few lines that build it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from llmtui import paths
from llmtui.core.bindings import keymap_problem, unknown_binding
from llmtui.core.config_checks import (
    ConfigError as ConfigError,  # its home is config_checks; most callers know it from here
)
from llmtui.core.config_checks import (
    Where,
    check_keys,
    check_url,
    get_bool,
    get_int,
    get_num,
    get_str,
    get_table,
    get_usd,
    model_ref,
)
from llmtui.core.sampling import NAMES as SAMPLING_NAMES
from llmtui.core.sampling import Sampling, SamplingError, check_max_tokens, from_mapping
from llmtui.providers.base import EFFORTS, LOCAL_KINDS, Effort, Price, ProviderSpec
from llmtui.providers.presets import ENV_VARS, KINDS, PRESETS

MAX_NETWORK_S = 7 * 24 * 3600.0
"""No [network] wait may exceed a week (a bigger number overflows clocks, not patience)."""

PRICE_RATES = ("input", "output", "cached_input", "cache_write", "per_second", "per_request")
"""What a `[prices."PROVIDER/MODEL"]` table may set: `Price`'s rates, USD per 1M tokens (per
second / per request where a model bills so)."""
PRICE_SOURCE = "config.toml [prices]"


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
    temperature: float | None = None
    max_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class Preset:
    """One `[presets.NAME]` table: a persona to start a conversation with."""

    name: str
    system: str | None = None
    temperature: float | None = None
    model: str | None = None
    max_tokens: int | None = None


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
        d = self.defaults
        return explicit.over(self.model_settings(ref).sampling).over(
            Sampling(temperature=d.temperature, max_tokens=d.max_tokens))

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


def _provider(w: Where, name: str, data: Mapping[str, Any]) -> ProviderConfig:
    table = f'providers."{name}"' if not re.fullmatch(r"[\w-]+", name) else f"providers.{name}"
    if not isinstance(data, dict):
        raise w.error("providers", name, "expected a table")
    check_keys(
        w,
        table,
        data,
        {"base_url", "kind", "headers", "models", "bill_to", "api_version", "region", "profile",
         "api_key_env", "monthly_usd", "label", "allow_insecure"},
    )
    kind = get_str(w, table, data, "kind")
    if kind is not None and kind not in KINDS:
        raise w.error(table, "kind", f"unknown kind {kind!r} (known: {', '.join(sorted(KINDS))})")
    if name not in PRESETS and not data.get("base_url") and kind not in LOCAL_KINDS:
        raise w.error(table, None, "a custom provider needs base_url (and kind = \"openai\")")
    base_url = get_str(w, table, data, "base_url")
    if base_url is not None:
        check_url(w, table, base_url)
    api_key_env = get_str(w, table, data, "api_key_env")
    if api_key_env is not None and not _ENV_NAME.fullmatch(api_key_env):
        # Not quoted back: what lands here by mistake is usually the key itself.
        raise w.error(table, "api_key_env", "expected the NAME of an environment variable "
                      "(capitals, digits, _), e.g. MYSERVER_API_KEY, not the key itself")
    headers = get_table(w, table, data, "headers")
    for hk, hv in headers.items():
        if not isinstance(hv, str):
            raise w.error(table, "headers", f"header {hk!r} must be a string")
    models_value = data.get("models", [])
    models: tuple[str, ...] = ()
    model_paths: dict[str, str] = {}
    if isinstance(models_value, list) and all(isinstance(m, str) for m in models_value):
        models = tuple(models_value)
    elif isinstance(models_value, dict) and all(isinstance(v, str) for v in models_value.values()):
        model_paths = {str(k): v for k, v in models_value.items()}
        models = tuple(model_paths)
    else:
        raise w.error(table, "models", "expected a list of model ids (or, for local, name = path)")
    return ProviderConfig(
        base_url=base_url,
        kind=kind,
        headers=dict(headers),
        models=models,
        model_paths=model_paths,
        bill_to=get_str(w, table, data, "bill_to"),
        api_version=get_str(w, table, data, "api_version"),
        region=get_str(w, table, data, "region"),
        profile=get_str(w, table, data, "profile"),
        api_key_env=api_key_env,
        monthly_usd=get_usd(w, table, data, "monthly_usd"),
        label=get_str(w, table, data, "label"),
        allow_insecure=get_bool(w, table, data, "allow_insecure"),
    )


# Capitals only: real keys almost always hold lower-case letters, so a pasted key is caught here.
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def parse_config(text: str, path: Path) -> Config:
    """Validate TOML text into a Config; raises ConfigError."""
    w = Where(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at (line|end of document).*\)$", "", str(exc))
        line = m.group(1) if m else str(max(1, len(text.splitlines())))
        where = f"{path}:{line}"
        raise ConfigError(f"{where}: not valid TOML: {reason}") from None
    check_keys(w, "", data, {"providers", "prices", "defaults", "budget", "network", "keymap", "theme",
                              "models", "presets"})

    providers = {
        name: _provider(w, name, value)
        for name, value in get_table(w, "", data, "providers").items()
    }

    prices: dict[str, Price] = {}
    for ref, value in get_table(w, "", data, "prices").items():
        table = f'prices."{ref}"'
        if not isinstance(value, dict):
            raise w.error("prices", ref, "expected a table like { input = 0.59, output = 0.79 }")
        model_ref(w, "prices", ref, ref)
        check_keys(w, table, value, set(PRICE_RATES))
        rates: dict[str, Any] = {k: get_usd(w, table, value, k) for k in value}  # checked: PRICE_RATES
        prices[ref] = replace(Price(source=PRICE_SOURCE), **rates)

    d = get_table(w, "", data, "defaults")
    check_keys(w, "defaults", d, {"model", "compare", "system", "temperature", "max_tokens"})
    compare = d.get("compare", [])
    if not isinstance(compare, list) or len(compare) not in (0, 2):
        raise w.error("defaults", "compare", "expected two model references, e.g. [\"A\", \"B\"]")
    temperature = get_num(w, "defaults", d, "temperature")
    if temperature is not None and not 0 <= temperature <= 2:
        raise w.error("defaults", "temperature", f"expected 0 to 2, got {temperature}")
    defaults = Defaults(
        model=model_ref(w, "defaults", "model", d["model"]) if "model" in d else None,
        compare=tuple(model_ref(w, "defaults", "compare", c) for c in compare),
        system=get_str(w, "defaults", d, "system"),
        temperature=temperature,
        max_tokens=_max_tokens(w, "defaults", d),
    )

    b = get_table(w, "", data, "budget")
    check_keys(w, "budget", b, {"per_request_usd", "daily_usd", "monthly_usd", "allow_unpriced"})
    allow_unpriced = b.get("allow_unpriced", False)
    if not isinstance(allow_unpriced, bool):
        raise w.error("budget", "allow_unpriced", "expected true or false")
    budget = Budget(**{k: get_usd(w, "budget", b, k) for k in b if k != "allow_unpriced"},
                    allow_unpriced=allow_unpriced)

    n = get_table(w, "", data, "network")
    check_keys(w, "network", n, {f for f in Network.__dataclass_fields__})
    net_values: dict[str, Any] = {}
    for key in n:
        if key == "max_retries":
            net_values[key] = get_int(w, "network", n, key)
        else:
            value = get_num(w, "network", n, key)
            if value is not None and not 0 < value <= MAX_NETWORK_S:
                raise w.error("network", key, f"must be more than 0 and at most {MAX_NETWORK_S:g} "
                              f"seconds, got {value}")
            net_values[key] = value
    network = Network(**net_values)

    keymap = get_table(w, "", data, "keymap")
    for k, v in keymap.items():
        if (problem := unknown_binding(k)) is not None:
            raise w.error("keymap", k, problem)
        if not isinstance(v, str) or not v.strip():
            raise w.error("keymap", k, "expected a key name such as \"ctrl+j\"")
    for k, v in keymap.items():  # after all are read: a conflict can be with a later entry
        if (problem := keymap_problem(k, v, keymap)) is not None:
            raise w.error("keymap", k, problem)

    models: dict[str, ModelSettings] = {}
    for ref, value in get_table(w, "", data, "models").items():
        model_ref(w, "models", ref, ref)
        if not isinstance(value, dict):
            raise w.error("models", ref, 'expected a table like { reasoning_effort = "high" }')
        models[ref] = _model_settings(w, f'models."{ref}"', value)

    presets: dict[str, Preset] = {}
    for name, value in get_table(w, "", data, "presets").items():
        table = f"presets.{name}"
        if not isinstance(value, dict):
            raise w.error("presets", name, 'expected a table like { system = "...", temperature = 0.2 }')
        check_keys(w, table, value, {"system", "temperature", "model", "max_tokens"})
        temp = get_num(w, table, value, "temperature")
        if temp is not None and not 0 <= temp <= 2:
            raise w.error(table, "temperature", f"expected 0 to 2, got {temp}")
        presets[name] = Preset(
            name, system=get_str(w, table, value, "system"), temperature=temp,
            model=model_ref(w, table, "model", value["model"]) if "model" in value else None,
            max_tokens=_max_tokens(w, table, value))

    return Config(
        path=path,
        providers=providers,
        prices=prices,
        defaults=defaults,
        budget=budget,
        network=network,
        keymap=dict(keymap),
        theme=get_str(w, "", data, "theme"),
        models=models,
        presets=presets,
    )


def _max_tokens(w: Where, table: str, data: Mapping[str, Any]) -> int | None:
    """[defaults] and [presets.*] max_tokens: the same rule as --max-tokens and [models]."""
    value = get_int(w, table, data, "max_tokens")
    if value is not None:
        try:
            check_max_tokens(value)
        except SamplingError as exc:
            raise w.error(table, "max_tokens", str(exc)) from None
    return value


def _model_settings(w: Where, table: str, data: Mapping[str, Any]) -> ModelSettings:
    check_keys(w, table, data, {"reasoning_effort", "thinking_budget", "starts_in_thought",
                                *SAMPLING_NAMES})
    effort = get_str(w, table, data, "reasoning_effort")
    if effort is not None and effort not in EFFORTS:
        raise w.error(table, "reasoning_effort", f"expected one of {', '.join(EFFORTS)}, got {effort!r}")
    budget = get_int(w, table, data, "thinking_budget")
    for key in SAMPLING_NAMES:  # one at a time, so the error names the key and its line
        try:
            from_mapping({key: data.get(key)})
        except SamplingError as exc:
            raise w.error(table, key, str(exc)) from None
    return ModelSettings(
        reasoning_effort=parse_effort(effort) if effort is not None else None,
        thinking_budget=budget,
        starts_in_thought=(get_bool(w, table, data, "starts_in_thought")
                           if "starts_in_thought" in data else None),
        sampling=from_mapping(data),
    )


def parse_effort(value: str) -> Effort:
    """`high` -> "high"; raises ValueError naming the choices (CLI flags, settings)."""
    for effort in EFFORTS:
        if value == effort:
            return effort
    raise ValueError(f"reasoning effort must be one of {', '.join(EFFORTS)}, got {value!r}")


def load_config(path: Path | None = None) -> Config:
    """Read config.toml (a missing file is an empty config, unless LLMTUI_CONFIG names it)."""
    named = path is None and bool(os.environ.get("LLMTUI_CONFIG"))
    path = path or paths.config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:  # set on purpose: running on defaults instead would hide the typo
            raise ConfigError(f"{path}: no such file (named by LLMTUI_CONFIG)") from None
        return Config(path=path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_config(text, path)


