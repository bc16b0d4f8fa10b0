"""Terminal capabilities judged from the environment: OSC 52 wrapping, local copy programs."""

from __future__ import annotations

import base64
import shutil
import subprocess
import uuid

import pytest

from llmtui.core.terminal import clipboard_plan, local_copy_command, osc52, tmux_clipboard_on

ALL = {"pbcopy", "wl-copy", "xclip", "xsel"}


def _which(*present: str):  # type: ignore[no-untyped-def]
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_osc52_plain_tmux_and_screen() -> None:
    b64 = base64.b64encode("héllo".encode()).decode()
    assert osc52("héllo", {}) == f"\x1b]52;c;{b64}\x07"
    tmux = osc52("héllo", {"TMUX": "/tmp/t,1,0"})
    assert tmux == f"\x1b]52;c;{b64}\x07\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\"
    long = osc52("x" * 3000, {"STY": "123.pts"})
    chunks = long.split("\x1b\\")[:-1]
    assert len(chunks) > 1 and all(c.startswith("\x1bP") and len(c) <= 762 for c in chunks)
    assert "".join(c[2:] for c in chunks) == osc52("x" * 3000, {})


def test_local_copy_is_never_used_over_ssh() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert local_copy_command(env, _which(*ALL - {"pbcopy"})) == ["wl-copy"]
    assert local_copy_command({"DISPLAY": ":0"}, _which("xsel")) == ["xsel", "--clipboard", "--input"]
    assert local_copy_command({**env, "SSH_CONNECTION": "1 2 3 4"}, _which(*ALL)) is None
    assert local_copy_command({}, _which()) is None


def test_copy_is_only_trusted_on_a_path_that_can_work() -> None:
    assert clipboard_plan({"DISPLAY": ":0"}, _which("xclip")).trusted
    assert clipboard_plan({"TERM": "xterm-kitty"}, _which()).trusted
    in_tmux = clipboard_plan({"TERM": "xterm-kitty", "TMUX": "x"}, _which())
    assert not in_tmux.trusted and "set-clipboard on" in in_tmux.hint
    apple = clipboard_plan({"TERM_PROGRAM": "Apple_Terminal"}, _which())
    assert not apple.trusted and "ignores OSC 52" in apple.hint


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("setting", ["on", "external"])
def test_tmux_with_set_clipboard_on_is_a_path_that_works(setting: str) -> None:
    socket = f"llmtui-clip-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "sleep 60"], check=True)
    try:
        subprocess.run([*tmux, "set-option", "-g", "set-clipboard", setting], check=True)
        path = subprocess.run([*tmux, "display-message", "-p", "#{socket_path}"], capture_output=True,
                              text=True, check=True).stdout.strip()
        env = {"TMUX": f"{path},1,0", "TERM": "screen-256color"}
        assert tmux_clipboard_on(env) is (setting == "on")
        assert clipboard_plan(env, _which()).trusted is (setting == "on")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
