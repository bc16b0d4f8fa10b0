"""An error and its remedy as the TUI shows them, naming the key a binding has NOW.

The key comes from the live bindings (after any `[keymap]` change), looked up by binding
id, so the hint stays true when a user rebinds `app.keys` or `chat.rerun`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from llmtui.providers.base import Remedy, StreamError

if TYPE_CHECKING:
    from textual.app import App

KEYS_BINDING = "app.keys"
RERUN_BINDING = "chat.rerun"
CANCEL_BINDING = "chat.cancel"
NEW_CHAT_BINDING = "chat.new"

KeyFor = Callable[[str], "str | None"]
"""Binding id -> the key shown for it now, or None when it is not bound on this screen."""


SOON_S = 60
"""A wait the server asked for up to this long is "a moment"."""


def binding_key(app: App[Any], binding_id: str) -> str | None:
    """The key the binding `binding_id` has now, as Textual displays keys (`^k`)."""
    for active in app.active_bindings.values():
        if active.binding.id == binding_id:
            return app.get_key_display(active.binding)
    return None


def still_answering(app: App[Any]) -> str:
    """Why a send or a model switch waits, with the key that stops the answer now."""
    return f"Still answering; press {binding_key(app, CANCEL_BINDING) or 'Esc'} to stop it first."


def no_branches_yet(app: App[Any]) -> str:
    """Why the branches key shows nothing yet, with the keys that make a branch."""
    edit = binding_key(app, "chat.edit") or "ctrl+↑"
    rerun = binding_key(app, RERUN_BINDING) or "ctrl+r"
    return f"No earlier answers kept: an edit ({edit}) or rerun ({rerun}) keeps one."


def _press(key_for: KeyFor, binding_id: str, what: str, otherwise: str) -> str:
    key = key_for(binding_id)
    return f"press {key} to {what}" if key else otherwise


def remedy_text(error: StreamError, key_for: KeyFor) -> str:
    """What the user can do, in the TUI's words; "" when there is nothing to do."""
    setting = error.setting
    match error.remedy:
        case Remedy.ADD_KEY:
            text = _press(key_for, KEYS_BINDING, "add or replace the key", "add the key in Keys")
            return text + (f", or set {setting}" if setting else "")
        case Remedy.FIX_ENV_KEY:
            return f"correct or unset the env var {setting} (it overrides the keyring)"
        case Remedy.RAISE_BUDGET:
            return f"raise {setting or 'the limit in [budget]'} in config.toml to continue"
        case Remedy.FIX_CONFIG:
            return f"fix {setting + ' in ' if setting else ''}config.toml, then try again"
        case Remedy.RETRY_LATER:
            if setting:
                return f"try again, or raise {setting} in config.toml"
            if error.retry_after_s is not None and error.retry_after_s >= SOON_S:
                # the error already says when: not "in a moment"
                return _press(key_for, RERUN_BINDING, "rerun on another model meanwhile",
                              "pick another model meanwhile")
            return "try again in a moment, or " + _press(
                key_for, RERUN_BINDING, "rerun on another model", "pick another model")
        case Remedy.OTHER_MODEL:
            return _press(key_for, RERUN_BINDING, "rerun on another model", "pick another model")
        case Remedy.CHECK_CONNECTION:
            return f"check the connection and {setting or 'the base_url in config.toml'}, then try again"
    return ""


def error_text(error: StreamError, key_for: KeyFor) -> str:
    """The provider's message plus what the user can do about it."""
    # most providers' messages already say "HTTP 401": once is enough
    status = f" (HTTP {error.status})" if error.status and f"HTTP {error.status}" not in error.message else ""
    hint = remedy_text(error, key_for)
    return f"⚠ {error.kind}{status}: {error.message}" + (f"\n→ {hint}" if hint else "")
