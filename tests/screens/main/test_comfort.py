"""The main screen's everyday comforts: honest copy, a keyless pick warned at once, ctrl+f when
the catalog is hidden. Pilot against the demo provider."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.screens.helpers import answered, booted, make_app, send, until


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_ctrl_y_copies_through_a_local_program_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "clip.txt"
    program = bin_dir / "xclip"
    program.write_text(f"#!/bin/sh\ncat > {out}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    for var in ("TMUX", "STY", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "WAYLAND_DISPLAY", "TERM_PROGRAM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hello")
        screen = await answered(pilot)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: out.exists() and out.stat().st_size > 0)
        assert out.read_text() == screen.query("MessageView").last().full_text  # type: ignore[attr-defined]
        assert any(n.startswith("Copied the last answer (") and n.endswith("via xclip.") for n in _notes(app))


async def test_picking_a_model_without_a_key_warns_at_once() -> None:
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(140, 40)) as pilot:
        await booted(pilot)
        from llmtui.widgets.model_catalog import ModelCatalog

        app.main.post_message(ModelCatalog.Chosen("anthropic/claude-sonnet-4-5"))
        await until(pilot, lambda: any("No key for anthropic" in n for n in _notes(app)))
        (note,) = [n for n in _notes(app) if "No key for anthropic" in n]
        assert "press ^k to add one" in note and "ANTHROPIC_API_KEY" in note
        app.main.post_message(ModelCatalog.Chosen("demo/simulated-fast"))
        await pilot.pause(0.3)
        assert sum("No key" in n for n in _notes(app)) == 1  # a keyless-free model says nothing


async def test_ctrl_f_in_a_narrow_terminal_opens_the_model_picker() -> None:
    app = make_app(compare=("demo/simulated", "demo/simulated-fast"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await booted(pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: app.screen is not screen)
        assert type(app.screen).__name__ == "ModelPickerScreen"
        assert isinstance(app.screen.focused, Input)


async def test_up_in_the_empty_prompt_recalls_prompts_from_earlier_sessions() -> None:
    from llmtui.core.store import Store
    from llmtui.widgets.prompt_input import PromptInput

    store = Store()
    cid = store.new_conversation(["demo/simulated"])
    store.add_message(cid, "user", "asked yesterday")
    store.close()
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "asked today")
        await answered(pilot)
        box = app.main.query_one(PromptInput)
        box.focus()
        await pilot.press("up")
        assert box.text == "asked today"
        await pilot.press("up")
        assert box.text == "asked yesterday"


PRESETS = """
[presets.reviewer]
system = "You review code tersely."
model = "demo/simulated-fast"
temperature = 0.1
"""


async def test_preset_flag_starts_with_its_model_and_system_and_records_it(write_config) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.store import Store

    write_config(PRESETS)
    app = make_app(preset="reviewer")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "look at this")
        screen = await answered(pilot)
        assert screen.session.models == ["demo/simulated-fast"]
        conversation_id = screen.session.conversation_id
    store = Store()
    assert store.preset_of(conversation_id) == "reviewer"
    assert store.system_prompt(conversation_id) == "You review code tersely."
    store.close()


async def test_a_preset_from_the_palette_starts_a_new_conversation(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(PRESETS)
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        commands = [c.title for c in app.get_system_commands(app.main)]
        assert "Preset: reviewer" in commands
        await app.main.apply_preset("reviewer")
        await pilot.pause()
        assert app.main.session.models == ["demo/simulated-fast"] and app.main.session.system == "You review code tersely."
        assert any(n.startswith("Preset reviewer: a new conversation") for n in _notes(app))


def test_an_unknown_preset_on_the_command_line_is_one_line(write_config) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import run_cli

    write_config(PRESETS)
    result = run_cli("--preset", "nope")
    assert result.returncode == 2 and "no preset 'nope' (presets: reviewer)" in result.stderr


async def test_ctrl_up_with_nothing_to_edit_says_so() -> None:
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert "Nothing to edit yet." in _notes(app)


async def test_ctrl_n_while_streaming_says_the_answer_was_stopped_and_kept() -> None:
    app = make_app(model="demo/simulated")  # the slow demo: still streaming when ctrl+n comes
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "a long one please")
        await until(pilot, lambda: app.main.session.streaming)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert any(n.startswith("Stopped the answer in progress") for n in _notes(app))
