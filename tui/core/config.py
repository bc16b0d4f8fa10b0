"""The user's `config.toml`, validated strictly into frozen dataclasses.

The app never writes this file (tomli-w would drop the user's comments); what it
saves goes to `settings.toml` beside it (core/settings.py). Any error names the file, line
and key. Here: reading the file and its TOML; the dataclasses are core/config_types.py
(re-exported here, where callers know them from), each table's checks core/config_tables.py,
the value checks core/config_checks.py.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from llmtui import paths
from llmtui.core import config_tables as tables
from llmtui.core.config_checks import ConfigError, Where, check_keys, get_str
from llmtui.core.config_types import (
    Budget,
    Config,
    Defaults,
    ModelSettings,
    Network,
    Preset,
    ProviderConfig,
)

__all__ = ["Budget", "Config", "ConfigError", "Defaults", "ModelSettings", "Network", "Preset",
           "ProviderConfig", "load_config", "parse_config"]


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
    return Config(  # the tables in this order: the first wrong value is the one reported
        path=path,
        providers=tables.read_providers(w, data),
        prices=tables.read_prices(w, data),
        defaults=tables.read_defaults(w, data),
        budget=tables.read_budget(w, data),
        network=tables.read_network(w, data),
        keymap=tables.read_keymap(w, data),
        models=tables.read_models(w, data),
        presets=tables.read_presets(w, data),
        theme=get_str(w, "", data, "theme"),
    )


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
