"""Each table of `config.toml` built into its dataclass (config_types.py), every value checked:
a wrong one raises ConfigError naming the file, line and key (config_checks.py finds them).

One function a table, called by `parse_config` (config.py) in the order the tables are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from llmtui.core.bindings import keymap_problem, unknown_binding
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
from llmtui.core.config_types import Budget, Defaults, ModelSettings, Network, Preset, ProviderConfig
from llmtui.core.sampling import NAMES as SAMPLING_NAMES
from llmtui.core.sampling import Sampling, SamplingError, from_mapping
from llmtui.providers.base import EFFORTS, LOCAL_KINDS, Effort, Price
from llmtui.providers.presets import KINDS, PRESETS

MAX_NETWORK_S = 7 * 24 * 3600.0
"""No [network] wait may exceed a week (a bigger number overflows clocks, not patience)."""

PRICE_RATES = ("input", "output", "cached_input", "cache_write", "per_second", "per_request")
"""What a `[prices."PROVIDER/MODEL"]` table may set: `Price`'s rates, USD per 1M tokens (per
second / per request where a model bills so)."""
PRICE_SOURCE = "config.toml [prices]"

# Capitals only: real keys almost always hold lower-case letters, so a pasted key is caught here.
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def read_providers(w: Where, data: Mapping[str, Any]) -> dict[str, ProviderConfig]:
    return {name: _provider(w, name, value)
            for name, value in get_table(w, "", data, "providers").items()}


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


def read_prices(w: Where, data: Mapping[str, Any]) -> dict[str, Price]:
    prices: dict[str, Price] = {}
    for ref, value in get_table(w, "", data, "prices").items():
        table = f'prices."{ref}"'
        if not isinstance(value, dict):
            raise w.error("prices", ref, "expected a table like { input = 0.59, output = 0.79 }")
        model_ref(w, "prices", ref, ref)
        check_keys(w, table, value, set(PRICE_RATES))
        rates: dict[str, Any] = {k: get_usd(w, table, value, k) for k in value}  # checked: PRICE_RATES
        prices[ref] = replace(Price(source=PRICE_SOURCE), **rates)
    return prices


def read_defaults(w: Where, data: Mapping[str, Any]) -> Defaults:
    d = get_table(w, "", data, "defaults")
    check_keys(w, "defaults", d, {"model", "compare", "system", *SAMPLING_NAMES})
    compare = d.get("compare", [])
    if not isinstance(compare, list) or len(compare) not in (0, 2):
        raise w.error("defaults", "compare", "expected two model references, e.g. [\"A\", \"B\"]")
    return Defaults(
        model=model_ref(w, "defaults", "model", d["model"]) if "model" in d else None,
        compare=tuple(model_ref(w, "defaults", "compare", c) for c in compare),
        system=get_str(w, "defaults", d, "system"),
        sampling=_sampling(w, "defaults", d),
    )


def read_budget(w: Where, data: Mapping[str, Any]) -> Budget:
    b = get_table(w, "", data, "budget")
    check_keys(w, "budget", b, {"per_request_usd", "daily_usd", "monthly_usd", "allow_unpriced"})
    allow_unpriced = b.get("allow_unpriced", False)
    if not isinstance(allow_unpriced, bool):
        raise w.error("budget", "allow_unpriced", "expected true or false")
    return Budget(**{k: get_usd(w, "budget", b, k) for k in b if k != "allow_unpriced"},
                  allow_unpriced=allow_unpriced)


def read_network(w: Where, data: Mapping[str, Any]) -> Network:
    n = get_table(w, "", data, "network")
    check_keys(w, "network", n, {f for f in Network.__dataclass_fields__})
    values: dict[str, Any] = {}
    for key in n:
        if key == "max_retries":
            values[key] = get_int(w, "network", n, key)
        else:
            value = get_num(w, "network", n, key)
            if value is not None and not 0 < value <= MAX_NETWORK_S:
                raise w.error("network", key, f"must be more than 0 and at most {MAX_NETWORK_S:g} "
                              f"seconds, got {value}")
            values[key] = value
    return Network(**values)


def read_keymap(w: Where, data: Mapping[str, Any]) -> dict[str, str]:
    keymap = get_table(w, "", data, "keymap")
    for k, v in keymap.items():
        if (problem := unknown_binding(k)) is not None:
            raise w.error("keymap", k, problem)
        if not isinstance(v, str) or not v.strip():
            raise w.error("keymap", k, "expected a key name such as \"ctrl+j\"")
    for k, v in keymap.items():  # after all are read: a conflict can be with a later entry
        if (problem := keymap_problem(k, v, keymap)) is not None:
            raise w.error("keymap", k, problem)
    return dict(keymap)


def read_models(w: Where, data: Mapping[str, Any]) -> dict[str, ModelSettings]:
    models: dict[str, ModelSettings] = {}
    for ref, value in get_table(w, "", data, "models").items():
        model_ref(w, "models", ref, ref)
        if not isinstance(value, dict):
            raise w.error("models", ref, 'expected a table like { reasoning_effort = "high" }')
        models[ref] = _model_settings(w, f'models."{ref}"', value)
    return models


def read_presets(w: Where, data: Mapping[str, Any]) -> dict[str, Preset]:
    presets: dict[str, Preset] = {}
    for name, value in get_table(w, "", data, "presets").items():
        table = f"presets.{name}"
        if not isinstance(value, dict):
            raise w.error("presets", name, 'expected a table like { system = "...", temperature = 0.2 }')
        check_keys(w, table, value, {"system", "model", *SAMPLING_NAMES})
        presets[name] = Preset(
            name, system=get_str(w, table, value, "system"),
            model=model_ref(w, table, "model", value["model"]) if "model" in value else None,
            sampling=_sampling(w, table, value))
    return presets


def _model_settings(w: Where, table: str, data: Mapping[str, Any]) -> ModelSettings:
    check_keys(w, table, data, {"reasoning_effort", "thinking_budget", "starts_in_thought",
                                *SAMPLING_NAMES})
    effort = get_str(w, table, data, "reasoning_effort")
    if effort is not None and effort not in EFFORTS:
        raise w.error(table, "reasoning_effort", f"expected one of {', '.join(EFFORTS)}, got {effort!r}")
    budget = get_int(w, table, data, "thinking_budget")
    return ModelSettings(
        reasoning_effort=parse_effort(effort) if effort is not None else None,
        thinking_budget=budget,
        starts_in_thought=(get_bool(w, table, data, "starts_in_thought")
                           if "starts_in_thought" in data else None),
        sampling=_sampling(w, table, data),
    )


def _sampling(w: Where, table: str, data: Mapping[str, Any]) -> Sampling:
    """The five sampling keys of [defaults], [presets.*] or [models."REF"], checked by the one
    validator the flags and the panel use (core/sampling.py)."""
    for key in SAMPLING_NAMES:  # one at a time, so the error names the key and its line
        try:
            from_mapping({key: data.get(key)})
        except SamplingError as exc:
            raise w.error(table, key, str(exc)) from None
    return from_mapping(data)


def parse_effort(value: str) -> Effort:
    """`high` -> "high"; raises ValueError naming the choices."""
    for effort in EFFORTS:
        if value == effort:
            return effort
    raise ValueError(f"reasoning effort must be one of {', '.join(EFFORTS)}, got {value!r}")
