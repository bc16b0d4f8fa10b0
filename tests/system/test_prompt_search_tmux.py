"""Alt+R in a real terminal (tmux), where alt+r arrives as Esc r: the search opens (no stray
"r" typed into the box), finds an earlier prompt, and Enter puts it in the box unsent; at 80
and 160 columns."""

from __future__ import annotations

import shutil
import time

import pytest

from llmtui.core.store import Store
from tests.system.test_tmux import _tmux, _wait_for
from tests.system.tmux_tui import tui

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.parametrize("width", [80, 160])
def test_alt_r_finds_an_earlier_prompt_and_enter_puts_it_in_the_box(width: int) -> None:
    store = Store()
    conversation = store.new_conversation(["demo/simulated-fast"])
    store.add_message(conversation, "user", "python decorators explained")
    store.add_message(conversation, "user", "write a haiku about rust")
    store.close()
    with tui("-m", "demo/simulated-fast", width=width) as (socket, name, _):
        _wait_for(socket, name, lambda s: "Ask anything" in s, 20)
        _tmux(socket, "send-keys", "-t", name, "-l", "my draft")

        sent = [0.0]

        def opened(screen: str) -> bool:
            # Until the store is open, alt+r does nothing: press it again, once a second (a
            # loaded machine draws late; presses sent faster queue up and split into Esc and r).
            if "Search your prompts" not in screen and time.monotonic() - sent[0] > 1.0:
                sent[0] = time.monotonic()
                _tmux(socket, "send-keys", "-t", name, "M-r")
            return "Search your prompts" in screen and "2 prompts" in screen

        _wait_for(socket, name, opened, 20)
        _tmux(socket, "send-keys", "-t", name, "-l", "pyth")
        _wait_for(socket, name, lambda s: "1 prompt matching" in s, 20)
        _tmux(socket, "send-keys", "-t", name, "Enter")
        screen = _wait_for(socket, name, lambda s: "Search your prompts" not in s
                           and "python decorators explained" in s, 20)
        assert "│ python decorators explained" in screen  # in the prompt box, not sent
        assert "my draftr" not in screen and "▌ you" not in screen
