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
        parse_config('[defaults]\ntemperature = 1\n\n[keymap]\n"chat.copy" = "alt+c"\nsend = "ctrl+s"\n',
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


def test_default_keys_are_the_apps_bindings() -> None:
    """DEFAULT_KEYS (what [keymap] conflicts are checked against) matches every real Binding,
    and every class's bindings share one place."""
    from llmtui.core.bindings import DEFAULT_KEYS

    real = app_binding_keys()
    assert {i: keys for i, (_, keys) in DEFAULT_KEYS.items()} == {i: keys for i, (_, keys) in real.items()}
    places: dict[str, set[str]] = {}
    for binding_id, (owner, _) in real.items():
        places.setdefault(owner, set()).add(DEFAULT_KEYS[binding_id][0])
    assert all(len(p) == 1 for p in places.values()), places
    assert places["LlmApp"] == {"app"}


MIRRORS = {"app.help": "HelpScreen", "chat.branches": "BranchesScreen"}
"""A modal screen hides the bindings below it, so the key that opened it is bound again on it,
with the same id (so [keymap] moves both): the key that opens it also closes or cycles it."""


def app_binding_keys() -> dict[str, tuple[str, str]]:
    """binding id -> (the class that defines it, its keys); mirrors checked against their owner."""
    owners = app_binding_ids()
    for binding_id, classes in owners.items():
        assert len([c for c in classes if MIRRORS.get(binding_id) != c]) == 1, (binding_id, classes)
    found: dict[str, tuple[str, str]] = {}
    mirrored: dict[str, str] = {}
    for name in ["llmtui.app"] + [m.name for pkg in (llmtui.screens, llmtui.widgets)
                                  for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")]:
        for obj in vars(importlib.import_module(name)).values():
            if isinstance(obj, type) and obj.__module__ == name:
                for binding in obj.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        if MIRRORS.get(binding.id) == obj.__name__:
                            mirrored[binding.id] = binding.key
                        else:
                            found[binding.id] = (obj.__name__, binding.key)
    assert set(mirrored) == set(MIRRORS)
    assert all(found[i][1] == key for i, key in mirrored.items()), mirrored
    return found


def test_every_named_key_is_a_textual_key_name() -> None:
    from textual.keys import Keys, _character_to_key

    from llmtui.core.bindings import NAMED_KEYS

    names = {k.value for k in Keys} | {_character_to_key(c) for c in map(chr, range(33, 127))}
    assert NAMED_KEYS <= names, NAMED_KEYS - names


README_OLD_KEYMAP = '[keymap]\n"app.export" = "f8"\n"chat.copy" = "f9"\n'


@pytest.mark.parametrize(("text", "start", "words"), [
    # the README's old example: F8 is "show earlier answers", F9 "both bad"
    (README_OLD_KEYMAP, "/cfg/config.toml:2: [keymap].app.export: ", ["'f8' is already chat.branches"]),
    ('[keymap]\n"chat.copy" = "ctrl+q"\n', "/cfg/config.toml:2: [keymap].chat.copy: ",
     ["'ctrl+q' is already app.quit"]),
    ('[keymap]\n"chat.copy" = "banana"\n', "/cfg/config.toml:2: [keymap].chat.copy: ",
     ["'banana' is not a key name"]),
    ('[keymap]\n"chat.copy" = "ctlr+y"\n', "/cfg/config.toml:2: [keymap].chat.copy: ",
     ["'ctlr+y' is not a key"]),
    # a conflict with another entry's new key, defined later in the file
    ('[keymap]\n"chat.copy" = "alt+c"\n"app.export" = "alt+c"\n', "/cfg/config.toml:2: [keymap].chat.copy: ",
     ["'alt+c' is already app.export"]),
])
def test_a_key_that_is_taken_or_not_a_key_is_a_file_line_error(text: str, start: str, words: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text, Path("/cfg/config.toml"))
    message = str(err.value)
    assert "\n" not in message and message.startswith(start), message
    assert all(w in message for w in words), message


def test_keys_in_use_on_other_screens_and_swaps_are_fine() -> None:
    config = parse_config('[keymap]\n"history.rename" = "f3"\n"chat.copy" = "f9"\n"vote.both_bad" = "alt+x"\n'
                          '"app.help" = "f1,alt+h"\n',
                          Path("/cfg/config.toml"))
    assert config.keymap["chat.copy"] == "f9"


@pytest.mark.parametrize(("binding_id", "key", "what"), [
    ("chat.cancel", "ctrl+x", "cut"), ("chat.copy", "enter", "send"), ("app.export", "ctrl+z", "undo"),
])
def test_a_key_the_prompt_box_answers_is_refused(binding_id: str, key: str, what: str) -> None:
    """It would take the key from the box, or lose to it while the box has focus."""
    with pytest.raises(ConfigError, match=re.escape(f"'{key}' is the prompt box's {what} key; pick a free key")):
        parse_config(f'[keymap]\n"{binding_id}" = "{key}"\n', Path("/cfg/config.toml"))


def test_a_screen_of_its_own_may_use_a_prompt_key() -> None:
    """The History screen has no prompt box: `enter` there takes nothing from it."""
    parse_config('[keymap]\n"history.rename" = "ctrl+x"\n', Path("/cfg/config.toml"))
