"""The core table of binding ids is exactly the app's real bindings; `[keymap]` is checked
against it; and the README's example config loads."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding

import llmtui.screens
import llmtui.widgets
from llmtui.core.bindings import BINDING_IDS
from llmtui.core.config import ConfigError, parse_config

ROOT = Path(__file__).resolve().parents[2]


def app_binding_ids() -> dict[str, list[str]]:
    """binding id -> the classes that define it, from every screen, widget and the app."""
    names = ["llmtui.app"] + [
        m.name for pkg in (llmtui.screens, llmtui.widgets)
        for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")
    ]
    found: dict[str, list[str]] = {}
    for name in names:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if not (isinstance(obj, type) and obj.__module__ == name):
                continue
            for binding in obj.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    assert binding.id, f"{name}.{obj.__name__}: {binding.key} has no id to rebind it by"
                    found.setdefault(binding.id, []).append(obj.__name__)
    return found


def test_the_table_is_the_apps_bindings() -> None:
    real, table = set(app_binding_ids()), set(BINDING_IDS)
    assert not real - table, f"add these ids to llmtui.core.bindings.BINDING_IDS: {sorted(real - table)}"
    assert not table - real, f"no Binding has these ids any more: {sorted(table - real)}"


def test_unknown_binding_id_is_one_line_with_file_line_and_valid_ids() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config('[defaults]\ntemperature = 1\n\n[keymap]\n"chat.copy" = "f9"\nsend = "ctrl+s"\n',
                     Path("/cfg/config.toml"))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("/cfg/config.toml:6: [keymap].send: unknown binding id; valid ids: ")
    assert "chat.copy" in message and "app.export" in message


def test_a_near_miss_gets_a_suggestion() -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'chat.copy'\?"):
        parse_config('[keymap]\n"chat.cpy" = "f9"\n', Path("/cfg/config.toml"))


def test_readme_example_config_loads() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert block is not None
    config = parse_config(block.group(1), Path("README.md"))
    assert config.keymap and set(config.keymap) <= set(BINDING_IDS)
