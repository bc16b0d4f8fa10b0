"""What the terminal we run in can do, judged from the environment (no escape-code probing).

Shared by `llmtui doctor` and the clipboard: colours, whether an OSC 52 copy can reach the
system clipboard (and how to wrap it for tmux/screen), a local copy command, an image protocol.
Everything is a pure function of an env mapping, so it is testable and never blocks.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Which = Callable[[str], str | None]

# Terminals known to accept OSC 52 writes by default (TERM_PROGRAM or a TERM prefix).
_OSC52_PROGRAMS = {"iTerm.app", "WezTerm", "ghostty", "vscode", "tabby", "rio", "WarpTerminal"}
_OSC52_TERMS = ("xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm", "contour")
# macOS Terminal ignores OSC 52 (Textual's docs say so too).
_NO_OSC52_PROGRAMS = {"Apple_Terminal"}


def over_ssh(env: Mapping[str, str]) -> bool:
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))


def multiplexer(env: Mapping[str, str]) -> str | None:
    """`tmux`, `screen` or None: an OSC 52 sent inside them must be wrapped to pass through."""
    if env.get("TMUX"):
        return "tmux"
    if env.get("STY") or env.get("TERM", "").startswith("screen"):
        return "screen"
    return None


def newline_keys(env: Mapping[str, str]) -> str:
    """The keys that add a line in the prompt here: inside tmux or screen only Ctrl+J arrives
    as itself (Shift+Enter comes through as a plain Enter, which would send)."""
    return "Ctrl+J" if multiplexer(env) else "Shift+Enter or Ctrl+J"


def osc52(text: str, env: Mapping[str, str]) -> str:
    """The OSC 52 'set clipboard' sequence for text, wrapped for tmux or screen passthrough.

    tmux forwards a DCS `tmux;` payload (with inner ESCs doubled) when `allow-passthrough` is on,
    and handles a bare OSC 52 itself when `set-clipboard` is on; sending the wrapped form covers
    both. screen's DCS passthrough limits a string to ~768 bytes, so it is split in chunks.
    """
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    seq = f"\x1b]52;c;{payload}\x07"
    where = multiplexer(env)
    if where == "tmux":
        # Bare for tmux itself (`set-clipboard on`), wrapped for the outer terminal
        # (`allow-passthrough on`): either setting alone then works.
        return seq + "\x1bPtmux;" + seq.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    if where == "screen":
        return "".join(f"\x1bP{seq[i:i + 760]}\x1b\\" for i in range(0, len(seq), 760))
    return seq


def tmux_clipboard_on(env: Mapping[str, str]) -> bool:
    """Whether the tmux we run in takes OSC 52 from applications (`set-clipboard on`)."""
    if multiplexer(env) != "tmux" or not shutil.which("tmux"):
        return False
    import os
    import subprocess

    try:  # $TMUX names the server's socket: ask that server
        done = subprocess.run(["tmux", "show-options", "-gv", "set-clipboard"], capture_output=True,
                              text=True, timeout=2, check=False, env={**os.environ, **env})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.stdout.strip() == "on"


def osc52_likely(env: Mapping[str, str]) -> bool | None:
    """True: the terminal is known to take OSC 52; False: known not to; None: cannot tell."""
    program = env.get("TERM_PROGRAM", "")
    if program in _NO_OSC52_PROGRAMS:
        return False
    if program in _OSC52_PROGRAMS or env.get("KITTY_WINDOW_ID") or env.get("WEZTERM_PANE"):
        return True
    if env.get("TERM", "").startswith(_OSC52_TERMS):
        return True
    return None


def local_copy_command(env: Mapping[str, str], which: Which = shutil.which) -> list[str] | None:
    """A program that puts stdin on this machine's clipboard; None over SSH (it would fill
    the remote machine's clipboard, not the user's) or when none is installed."""
    if over_ssh(env):
        return None
    candidates: list[list[str]] = [["pbcopy"]]
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for command in candidates:
        if which(command[0]):
            return command
    return None


def colors(env: Mapping[str, str]) -> str:
    if "NO_COLOR" in env:
        return "none (NO_COLOR is set)"
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    term = env.get("TERM", "")
    if "256color" in term or env.get("TERM_PROGRAM") in _OSC52_PROGRAMS:
        return "256"
    if term in ("", "dumb"):
        return "none (TERM is unset or dumb)"
    return "16 (set COLORTERM=truecolor if your terminal has more)"


def image_protocol(env: Mapping[str, str]) -> str:
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty" or program == "ghostty":
        return "kitty graphics"
    if program in ("iTerm.app", "WezTerm") or env.get("WEZTERM_PANE"):
        return "iTerm2 inline images"
    if "sixel" in term or program in ("foot", "mlterm"):
        return "sixel"
    return "none known"


@dataclass(frozen=True, slots=True)
class ClipboardPlan:
    """How a copy would travel, and whether we can honestly say it worked."""

    local: list[str] | None  # a local program, tried first
    osc52: bool  # an OSC 52 sequence is also written to the terminal
    trusted: bool  # a path that is known to work was used
    hint: str  # what to do when no known-good path exists


def clipboard_plan(env: Mapping[str, str], which: Which = shutil.which) -> ClipboardPlan:
    local = local_copy_command(env, which)
    likely = osc52_likely(env)
    where = multiplexer(env)
    if local is not None:
        return ClipboardPlan(local, True, True, "")
    if likely and where is None:
        return ClipboardPlan(None, True, True, "")
    if where == "tmux" and likely is not False and tmux_clipboard_on(env):
        return ClipboardPlan(None, True, True, "")
    if where == "tmux":
        hint = "in tmux, enable `set -g set-clipboard on` (or `allow-passthrough on`) for OSC 52"
    elif likely is False:
        hint = "this terminal ignores OSC 52; use a terminal that supports it (iTerm2, kitty, WezTerm)"
    elif over_ssh(env):
        hint = "over SSH only OSC 52 can reach your clipboard; enable it in your terminal"
    else:
        hint = "install wl-copy, xclip or xsel, or use a terminal with OSC 52 (kitty, WezTerm, iTerm2)"
    return ClipboardPlan(None, True, False, hint)


def describe_clipboard(env: Mapping[str, str], which: Which = shutil.which) -> str:
    plan = clipboard_plan(env, which)
    parts = []
    if plan.local:
        parts.append(f"local: {plan.local[0]}")
    wrap = multiplexer(env)
    parts.append("OSC 52" + (f" (wrapped for {wrap})" if wrap else "")
                 + ("" if plan.trusted else ": unconfirmed"))
    text = ", ".join(parts)
    return text + (f" — {plan.hint}" if plan.hint else "")
