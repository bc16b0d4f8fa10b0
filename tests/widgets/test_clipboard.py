"""Copy goes by OSC 52 (wrapped inside tmux) and a local program when one can work, and the
message admits when nothing known to work was available."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from textual.app import App

from llmtui import clipboard


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        clipboard.copy(self, text, "the answer")

    def on_mount(self) -> None:
        assert self._driver is not None
        self._driver.write = self.written.append  # type: ignore[method-assign]


def _fake_copier(tmp_path: Path, name: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    out = tmp_path / "clipboard.txt"
    program = bin_dir / name
    program.write_text(f"#!/bin/sh\ncat > {out}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return out


def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> None:
    for var in ("TMUX", "STY", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "WAYLAND_DISPLAY",
                "DISPLAY", "TERM_PROGRAM", "KITTY_WINDOW_ID", "WEZTERM_PANE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}/usr/bin:/bin")
    for key, value in env.items():
        monkeypatch.setenv(key, value)


async def test_local_program_and_osc52_are_both_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _fake_copier(tmp_path, "wl-copy")
    _clean_env(monkeypatch, tmp_path, WAYLAND_DISPLAY="wayland-0")
    app = Host()
    async with app.run_test() as pilot:
        app.copy_to_clipboard("héllo wörld")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.read_text() == "héllo wörld"
        b64 = base64.b64encode("héllo wörld".encode()).decode()
        assert f"\x1b]52;c;{b64}\x07" in app.written
        (note,) = [n.message for n in app._notifications]
        assert note == "Copied the answer (11 characters) via wl-copy."


async def test_inside_tmux_without_a_known_path_osc52_is_wrapped_and_the_message_says_how(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch, tmp_path, TMUX="/tmp/tmux-0/default,1,0", SSH_CONNECTION="10.0.0.1 1 10.0.0.2 22")
    _fake_copier(tmp_path, "wl-copy")  # installed, but over SSH it would fill the wrong clipboard
    app = Host()
    async with app.run_test() as pilot:
        app.copy_to_clipboard("x")
        await pilot.pause()
        assert "\x1b]52;c;eA==\x07\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\" in app.written
        (note,) = [n.message for n in app._notifications]
        assert note.startswith("Sent the answer (1 character) to the terminal clipboard (OSC 52), which may ignore it")
        assert "set-clipboard on" in note
        assert not (tmp_path / "clipboard.txt").exists()


def test_feedback_trusts_a_known_osc52_terminal() -> None:
    message, warn = clipboard.feedback("abc", "", {"TERM": "xterm-kitty"})
    assert (message, warn) == ("Copied 3 characters via OSC 52.", False)
