"""Every key binding id the app defines, so `[keymap]` can be checked without Textual.

`[keymap]` in config.toml maps these ids to keys (Textual's `App.set_keymap`). The screens'
`BINDINGS` carry the same ids; tests/core/test_bindings.py walks every `Binding` in the
app and fails if this table and the real bindings ever differ.
"""

from __future__ import annotations

from collections.abc import Mapping

# binding id -> what it does (the same words as its tooltip)
BINDING_IDS: dict[str, str] = {
    "app.keys": "manage API keys",
    "app.history": "earlier conversations",
    "app.leaderboard": "blind-compare win rates",
    "app.export": "export as Markdown",
    "app.theme": "change theme",
    "app.help": "show all key bindings",
    "app.quit": "quit llmtui",
    "chat.cancel": "stop the answer(s) streaming",
    "chat.new": "start a new conversation",
    "chat.copy": "copy the last answer",
    "chat.copy_code": "copy the last code block",
    "chat.rerun": "send the last prompt to another model",
    "chat.edit": "edit an earlier prompt and resend (a branch)",
    "chat.compare": "compare with another model, or back to one",
    "chat.find_model": "filter the catalog",
    "chat.search_prompts": "search the prompts you sent, in every conversation",
    "prompt_search.close": "prompt search: close, keeping what you were typing",
    "prompt_search.older": "prompt search: the next older match",
    "prompt_search.newer": "prompt search: the next newer match",
    "chat.attach": "attach a file (an image or a text file) to the next prompt",
    "attach.cancel": "file picker: cancel",
    "attach.complete": "file picker: complete the path",
    "attach.remove": "attachment chip: remove it",
    "chat.thinking": "models' thinking: show / collapse / hide (saved)",
    "chat.reasoning": "how hard the model thinks from the next send: effort or budget",
    "reasoning.close": "thinking picker: close without changing anything",
    "chat.branches": "show the earlier answers an edit or rerun kept",
    "branches.close": "kept branches: close",
    "branches.earlier": "kept branches: the earlier one",
    "branches.later": "kept branches: the later one",
    "help.close": "close the keys page",
    "vote.a": "blind compare: A is better",
    "vote.b": "blind compare: B is better",
    "vote.tie": "blind compare: tie",
    "vote.both_bad": "blind compare: both answers are bad",
    "chat.next_lane": "move to the next compare lane (the one shown, when narrow)",
    "chat.diff": "word diff of two compare lanes' last answers",
    "chat.params": "sampling parameters (temperature, top_p, max_tokens, seed, stop) for this lane or all",
    "chat.page_up": "scroll the answers up a page",
    "chat.page_down": "scroll the answers down a page",
    "params.cancel": "parameters panel: close without saving",
    "runs.close": "repeat runs: stop and go back",
    "judge.a": "llmtui vote: A is better",
    "judge.b": "llmtui vote: B is better",
    "judge.tie": "llmtui vote: a tie",
    "judge.both_bad": "llmtui vote: both answers are bad",
    "judge.diff": "llmtui vote: word diff of A and B",
    "judge.next": "llmtui vote: the next pair",
    "judge.skip": "llmtui vote: judge this pair another time",
    "judge.close": "llmtui vote: close",
    "catalog.compare": "compare the current model with the highlighted one",
    "prompt.editor": "compose the prompt in $VISUAL / $EDITOR",
    "history.close": "history: back without opening",
    "history.rename": "history: rename the conversation",
    "history.delete": "history: delete the conversation",
    "history.search": "history: search message text",
    "keys.set": "keys: store a key in the OS keyring",
    "keys.check": "keys: try the key with a cheap call",
    "keys.delete": "keys: remove the key from the OS keyring",
    "keys.close": "keys: back",
    "leaderboard.close": "leaderboard: back",
    "picker.close": "model picker: close",
    "modal.cancel": "dialog: close without saving",
    "modal.yes": "dialog: confirm",
    "modal.no": "dialog: cancel",
}


def unknown_binding(binding_id: str) -> str | None:
    """Why `binding_id` cannot be rebound, or None if it can."""
    if binding_id in BINDING_IDS:
        return None
    import difflib

    close = difflib.get_close_matches(binding_id, BINDING_IDS, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown binding id; {guess}valid ids: {', '.join(BINDING_IDS)}"


# binding id -> (where it is active, its default keys as the Binding spells them). "app" keys
# are active everywhere; the others only on their own screen ("main" = the chat screen and
# the widgets on it). tests/core/test_bindings.py checks this against the real bindings.
DEFAULT_KEYS: dict[str, tuple[str, str]] = {
    "app.keys": ("app", "ctrl+k"),
    "app.history": ("app", "ctrl+o"),
    "app.leaderboard": ("app", "ctrl+l"),
    "app.export": ("app", "ctrl+s"),
    "app.theme": ("app", "ctrl+t"),
    "app.help": ("app", "f1"),
    "app.quit": ("app", "ctrl+q"),
    "attach.cancel": ("attachfile", "escape"),
    "attach.complete": ("attachfile", "tab"),
    "branches.close": ("branches", "escape"),
    "branches.earlier": ("branches", "left"),
    "branches.later": ("branches", "right"),
    "help.close": ("help", "escape,question_mark"),
    "history.close": ("history", "escape"),
    "history.rename": ("history", "f2"),
    "history.delete": ("history", "delete"),
    "history.search": ("history", "slash"),
    "keys.set": ("keys", "s"),
    "keys.check": ("keys", "c"),
    "keys.delete": ("keys", "d,delete"),
    "keys.close": ("keys", "escape"),
    "leaderboard.close": ("leaderboard", "escape"),
    "chat.cancel": ("main", "escape"),
    "chat.new": ("main", "ctrl+n"),
    "chat.copy": ("main", "ctrl+y"),
    "chat.copy_code": ("main", "ctrl+b"),
    "chat.rerun": ("main", "ctrl+r"),
    "chat.edit": ("main", "ctrl+up"),
    "chat.compare": ("main", "ctrl+g"),
    "chat.search_prompts": ("main", "alt+r"),
    "chat.find_model": ("main", "ctrl+f"),
    "chat.attach": ("main", "f2"),
    "chat.thinking": ("main", "f3"),
    "chat.reasoning": ("main", "alt+t"),
    "chat.branches": ("main", "f8"),
    "vote.a": ("main", "f5"),
    "vote.b": ("main", "f6"),
    "vote.tie": ("main", "f7"),
    "vote.both_bad": ("main", "f9"),
    "chat.next_lane": ("main", "f10"),
    "chat.diff": ("main", "f4"),
    "chat.params": ("main", "alt+p,f12"),
    "chat.page_up": ("main", "pageup"),
    "chat.page_down": ("main", "pagedown"),
    "modal.cancel": ("textinputmodal", "escape"),
    "modal.yes": ("confirmmodal", "y"),
    "modal.no": ("confirmmodal", "n,escape"),
    "picker.close": ("modelpicker", "escape"),
    "params.cancel": ("params", "escape"),
    "prompt_search.close": ("promptsearch", "escape"),
    "prompt_search.older": ("promptsearch", "down,alt+r"),
    "prompt_search.newer": ("promptsearch", "up"),
    "reasoning.close": ("reasoningpicker", "escape"),
    "runs.close": ("runs", "escape"),
    "judge.a": ("vote", "a"),
    "judge.b": ("vote", "b"),
    "judge.tie": ("vote", "t"),
    "judge.both_bad": ("vote", "x"),
    "judge.diff": ("vote", "d"),
    "judge.next": ("vote", "n,enter"),
    "judge.skip": ("vote", "s"),
    "judge.close": ("vote", "escape"),
    "attach.remove": ("main", "delete,backspace"),
    "catalog.compare": ("main", "c"),
    "prompt.editor": ("main", "ctrl+e"),
}

# The prompt box's own keys (Textual's TextArea, plus send, new line and recall): rebinding a
# command to one would take it from the box, or lose to it (ctrl+x stays "cut" while the box
# has focus). The app's defaults that take some of these on purpose (ctrl+k, ctrl+y, f6, f7, pageup)
# are in DEFAULT_KEYS, so they clash there. tests/widgets/test_prompt_keys.py keeps this true.
PROMPT_KEYS: dict[str, str] = {
    "enter": "send", "shift+enter": "new line", "ctrl+j": "new line", "alt+enter": "new line",
    "ctrl+enter": "new line", "up": "cursor up / an earlier prompt", "down": "cursor down / a later prompt",
    "left": "cursor left", "right": "cursor right", "home": "line start", "end": "line end",
    "pageup": "page up", "pagedown": "page down", "ctrl+pageup": "page left",
    "ctrl+pagedown": "page right", "ctrl+left": "word left", "ctrl+right": "word right",
    "ctrl+a": "line start", "ctrl+shift+left": "select word left",
    "ctrl+shift+right": "select word right", "shift+home": "select to line start",
    "shift+end": "select to line end", "shift+up": "select up", "shift+down": "select down",
    "shift+left": "select left", "shift+right": "select right", "backspace": "delete left",
    "ctrl+w": "delete word left", "ctrl+backspace": "delete word left",
    "alt+backspace": "delete word left", "delete": "delete right", "ctrl+d": "delete right",
    "alt+delete": "delete word right", "ctrl+x": "cut", "super+x": "cut", "ctrl+c": "copy",
    "super+c": "copy", "ctrl+v": "paste", "ctrl+u": "delete to line start",
    "super+backspace": "delete to line start", "ctrl+shift+k": "delete line", "ctrl+z": "undo",
    "super+z": "undo", "super+y": "redo", "tab": "focus the next pane",
    "shift+tab": "focus the previous pane",
}

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta", "hyper"})
NAMED_KEYS = frozenset({
    "escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right",
    # printable punctuation, as Textual names it (the character's Unicode name)
    "slash", "backslash", "question_mark", "comma", "full_stop", "colon", "semicolon",
    "minus", "plus", "equals_sign", "apostrophe", "quotation_mark", "grave_accent",
    "left_square_bracket", "right_square_bracket", "number_sign", "asterisk",
})


def bad_key(key: str) -> str | None:
    """Why `key` (one Textual key name such as "ctrl+j" or "f9") is not a key, or None."""
    *mods, base = key.split("+")
    if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return f"{key!r} is not a key: modifiers are {', '.join(sorted(MODIFIERS))}"
    if (len(base) == 1 and base.isascii() and base.isalnum() and base == base.lower()) \
            or base in NAMED_KEYS or (base[:1] == "f" and base[1:].isdigit() and 1 <= int(base[1:]) <= 24):
        return None
    return (f"{key!r} is not a key name; use names like \"f9\", \"ctrl+j\", \"alt+x\", "
            "\"delete\", \"slash\"")


def keymap_problem(binding_id: str, keys: str, keymap: Mapping[str, object]) -> str | None:
    """Why `[keymap] binding_id = keys` cannot be used with the rest of `keymap`, or None.

    A key another command already answers where this one is active would silently take that
    command away (the README's own old example, F8 for export, hid export behind branches).
    """
    wanted = [k.strip() for k in keys.split(",")]
    for key in wanted:
        if (problem := bad_key(key)) is not None:
            return problem
    place, own = DEFAULT_KEYS[binding_id]
    new = [k for k in wanted if k not in own.split(",")]  # its own default keys clash as they always did
    if place in ("app", "main"):  # active while the prompt box has focus
        if clash := next((k for k in new if k in PROMPT_KEYS), None):
            return (f"{clash!r} is the prompt box's {PROMPT_KEYS[clash]} key; pick a free key "
                    "(an F key, or alt+ a letter)")
    # the clash nearest to hand first: same screen, then the chat screen, then the rest
    order = sorted(DEFAULT_KEYS.items(), key=lambda kv: (kv[1][0] != place, kv[1][0] != "main"))
    for other, (other_place, default) in order:
        if other == binding_id or not (place == other_place or "app" in (place, other_place)):
            continue
        taken = {k.strip() for k in str(keymap.get(other, default)).split(",")}
        if clash := next((k for k in new if k in taken), None):
            return (f"{clash!r} is already {other} ({BINDING_IDS[other]}); pick a free key "
                    f"or rebind {other} too")
    return None
