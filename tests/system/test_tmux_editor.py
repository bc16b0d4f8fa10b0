"""Ctrl+E hands the prompt to $EDITOR in a real terminal (tmux) and takes back what it saved."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.system.test_tmux import _tmux, _wait_for

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_ctrl_e_composes_in_the_editor_and_the_text_comes_back(tmp_path: Path) -> None:
    editor = tmp_path / "fake-editor"
    seen = tmp_path / "seen.txt"
    # Records what it was given, then writes a two-line prompt, as a user saving in vim would.
    editor.write_text(f'#!/bin/sh\ncp "$1" {seen}\nprintf "composed in the editor\\nsecond line\\n" > "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    exe = Path(sys.executable).with_name("llmtui")
    socket, name = f"llmtui-editor-{uuid.uuid4().hex[:8]}", "editor"
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                                      "PATH", "HOME") if k in os.environ}
    command = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", "-u", "VISUAL",
                        *(f"{k}={v}" for k, v in env.items()), "TERM=xterm-256color", f"EDITOR={editor}",
                        str(exe), "-m", "demo/simulated-fast"])
    _tmux(socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "36", command)
    try:
        _wait_for(socket, name, lambda s: "Ask anything" in s, 20)
        time.sleep(0.5)
        _tmux(socket, "send-keys", "-t", name, "-l", "draft")
        _tmux(socket, "send-keys", "-t", name, "C-e")
        _wait_for(socket, name, lambda s: "composed in the editor" in s and "second line" in s, 20)
        assert seen.read_text() == "draft"
        _tmux(socket, "send-keys", "-t", name, "Enter")
        _wait_for(socket, name, lambda s: "About: composed in the editor" in s, 30)
    finally:
        _tmux(socket, "kill-server")
