"""Copying that works where it can, and says so honestly where it cannot.

Two transports, chosen from the environment (`core.terminal.clipboard_plan`):
- OSC 52 written to the terminal, wrapped for tmux/screen passthrough when inside them;
- a local program (`wl-copy`, `xclip`, `xsel`, `pbcopy`) when one is installed and we are not
  over SSH (there it would fill the remote machine's clipboard, not yours).
The message says "Copied N characters" only when a path that is known to work was used;
otherwise it says what was tried and how to enable it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from llmtui.core.terminal import clipboard_plan, osc52

if TYPE_CHECKING:
    from textual.app import App

LOCAL_TIMEOUT_S = 5.0


def feedback(text: str, what: str = "", env: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """(the message to show, whether it is a warning) for copying `text`."""
    plan = clipboard_plan(os.environ if env is None else env)
    size = f"{len(text):,} character{'s' * (len(text) != 1)}"
    subject = f"{what} ({size})" if what else size
    if plan.trusted:
        via = plan.local[0] if plan.local else "OSC 52"
        return f"Copied {subject} via {via}.", False
    return f"Sent {subject} to the terminal clipboard (OSC 52), which may ignore it: {plan.hint}.", True


def run_local(command: list[str], text: str) -> str | None:
    """Pipe text into a local clipboard program; None on success, else why it failed."""
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                              timeout=LOCAL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{command[0]}: {type(exc).__name__}"
    if done.returncode != 0:
        return f"{command[0]} exited {done.returncode}"
    return None


def copy(app: App[Any], text: str, what: str = "") -> None:
    """Put text on the clipboard by every path that may work, then say what happened."""
    env = os.environ
    plan = clipboard_plan(env)
    app._clipboard = text  # what Textual pastes inside the app (as App.copy_to_clipboard keeps it)
    driver = app._driver  # the only way to write a raw sequence; App.copy_to_clipboard does the same
    if plan.osc52 and driver is not None:
        driver.write(osc52(text, env))
    message, warn = feedback(text, what, env)
    app.notify(message, severity="warning" if warn else "information", timeout=6 if warn else 3)
    if plan.local:
        command = plan.local

        def local() -> None:
            problem = run_local(command, text)
            if problem is not None:
                app.call_from_thread(app.notify, f"Copy via {problem}; OSC 52 was sent too.",
                                     severity="warning")

        app.run_worker(local, thread=True, group="clipboard", exit_on_error=False)
