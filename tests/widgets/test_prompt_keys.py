"""core.bindings.PROMPT_KEYS is every key the prompt box answers, so `[keymap]` can refuse
them without importing Textual (issue 12 tester #6: `chat.cancel = "ctrl+x"` lost to cut)."""

from __future__ import annotations

from textual.binding import Binding

from llmtui.core.bindings import DEFAULT_KEYS, PROMPT_KEYS
from llmtui.widgets.prompt_input import NEWLINE_KEYS, PromptInput


def test_every_key_of_the_prompt_box_is_known_to_the_keymap_check() -> None:
    answered = {"enter", "up", "down", "tab", "shift+tab", *NEWLINE_KEYS}
    for cls in PromptInput.__mro__:
        for binding in cls.__dict__.get("BINDINGS", []):
            keys = binding.key if isinstance(binding, Binding) else binding[0]
            answered |= {k.strip() for k in keys.split(",")}
    taken_on_purpose = {k for place, keys in DEFAULT_KEYS.values() if place in ("app", "main")
                        for k in keys.split(",")}
    assert answered - taken_on_purpose - set(PROMPT_KEYS) == set()
    assert set(PROMPT_KEYS) <= answered  # nothing refused that the box does not use
