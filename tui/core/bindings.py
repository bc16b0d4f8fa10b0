"""Every key binding id the app defines, so `[keymap]` can be checked without Textual.

`[keymap]` in config.toml maps these ids to keys (Textual's `App.set_keymap`). The screens'
`BINDINGS` carry the same ids; tests/core/test_bindings.py walks every `Binding` in the
app and fails if this table and the real bindings ever differ.
"""

from __future__ import annotations

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
