"""Themes, clipboard, rerun, edit-and-resend, keymap, palette, help, screens wiring."""

from __future__ import annotations

import tomllib

from llmtui import paths
from llmtui.core.store import Store
from llmtui.screens.model_picker_modal import ModelPickerScreen
from llmtui.themes import THEMES
from llmtui.widgets.transcript import Transcript, Turn
from tests.screens.helpers import answered, booted, make_app, send, until


def test_three_own_themes_one_light() -> None:
    assert len(THEMES) >= 3
    assert any(not theme.dark for theme in THEMES.values())


async def test_theme_switch_is_saved_and_restored() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        assert app.theme == "llmtui-night"
        assert {"llmtui-night", "llmtui-ember", "llmtui-paper", "textual-dark"} <= set(app.available_themes)
        app.theme = "llmtui-paper"
        await until(pilot, lambda: paths.settings_file().exists()
                    and "llmtui-paper" in paths.settings_file().read_text())
    assert tomllib.loads(paths.settings_file().read_text())["theme"] == "llmtui-paper"
    again = make_app(model="demo/simulated-fast")
    async with again.run_test(size=(120, 36)) as pilot:
        assert again.theme == "llmtui-paper"


async def test_copy_last_answer_and_its_code_block() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "copy me")
        screen = await answered(pilot)
        await pilot.press("ctrl+y")
        assert app.clipboard == app.main.views[screen.session.turns[-1].lanes[0]].full_text
        await pilot.press("ctrl+b")
        assert app.clipboard.startswith("# what a request looks like to llmtui\nprompt = 'copy me'")
        assert "```" not in app.clipboard


async def test_rerun_last_prompt_on_another_model() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "rerun this")
        screen = await answered(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await pilot.press(*"simulated")
        picker_list = app.screen.query_one("#model-list")
        option = picker_list.highlighted_option  # type: ignore[attr-defined]
        target = option.id
        assert target == "demo/simulated"
        await pilot.press("enter")
        await until(pilot, lambda: screen.session.turns[-1].kind == "rerun")
        await answered(pilot)
        assert screen.session.models == [target]
        assert screen.session.turns[-1].prompt == "rerun this"
        assert screen.session.turns[-1].lanes[0].ref == target
        conversation_id = screen.session.conversation_id
    messages = Store().messages(conversation_id)  # type: ignore[arg-type]
    prompts = [m for m in messages if m.role == "user"]
    assert prompts[1].parent_id == prompts[0].id  # the rerun is a branch of the first prompt


async def test_edit_an_earlier_prompt_and_resend_as_a_branch() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "first")
        screen = await answered(pilot)
        await send(pilot, "second")
        await answered(pilot)
        await pilot.press("ctrl+up", "ctrl+up")  # walk back to the first prompt
        prompt = screen.query_one("#prompt")
        assert prompt.text == "first"  # type: ignore[attr-defined]
        await pilot.press(*", edited")  # typed as a person would: the cursor is at the end
        assert prompt.text == "first, edited"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: screen.session.turns and screen.session.turns[-1].prompt == "first, edited")
        await answered(pilot)
        turns = list(screen.query_one(Transcript).query(Turn))
        assert [t.prompt for t in turns] == ["first, edited"]
        assert turns[0].note
        assert screen.session.history(screen.session.models[0])[0].content == "first, edited"
        conversation_id = screen.session.conversation_id
    messages = Store().messages(conversation_id)  # type: ignore[arg-type]
    users = [m for m in messages if m.role == "user"]
    assert [u.content for u in users] == ["first", "second", "first, edited"]
    assert users[2].parent_id == users[0].id
    assert len([m for m in messages if m.role == "assistant"]) == 3  # old answers kept


async def test_keymap_from_config_rebinds_an_action(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config('[keymap]\n"chat.copy" = "alt+c"\n')
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "remap")
        screen = await answered(pilot)
        await pilot.press("alt+c")
        assert app.clipboard == app.main.views[screen.session.turns[-1].lanes[0]].full_text


async def test_every_binding_has_an_id() -> None:
    from llmtui.app import LlmApp
    from llmtui.screens.main import MainScreen
    from llmtui.widgets.model_catalog import ModelCatalog

    for owner in (LlmApp, MainScreen, ModelCatalog):
        for binding in owner.BINDINGS:
            assert binding.id, f"{owner.__name__} binding {binding.key} has no id"  # type: ignore[union-attr]


async def test_palette_lists_every_action() -> None:
    from llmtui.app import COMMANDS

    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {title for title, _, _ in COMMANDS} <= titles
        assert "Compare with demo/simulated" in titles
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Compare with demo/simulated")
        command.callback()
        await pilot.pause()
        assert app.main.session.models == ["demo/simulated-fast", "demo/simulated"]


async def test_question_mark_in_an_empty_prompt_shows_the_keys() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("question_mark")  # the same key closes it
        await pilot.pause()
        assert app.screen is app.main
        prompt = app.main.query_one("#prompt")
        prompt.text = "why"  # type: ignore[attr-defined]
        await pilot.press("question_mark")
        assert "?" in prompt.text  # type: ignore[attr-defined]


async def test_other_screens_open() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await booted(pilot)
        for key, name in (("ctrl+k", "KeysScreen"), ("ctrl+o", "HistoryScreen"),
                          ("ctrl+l", "LeaderboardScreen")):
            await pilot.press(key)
            await until(pilot, lambda name=name: type(app.screen).__name__ == name)
            app.pop_screen()
            await pilot.pause(0.2)
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_export_writes_markdown(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # export writes beside the user, i.e. the working directory
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "export me")
        await answered(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Exported to" in n.message for n in app._notifications))
        note = next(n.message for n in app._notifications if "Exported to" in n.message)
    from pathlib import Path

    path = Path(note.removeprefix("Exported to ").strip())
    assert "export me" in path.read_text()


async def test_history_screen_reopens_a_conversation() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "remember this")
        screen = await answered(pilot)
        conversation_id = screen.session.conversation_id
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not screen.query_one(Transcript).query(Turn))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        app.screen.dismiss(conversation_id)  # what choosing a row does
        await until(pilot, lambda: screen.session.conversation_id == conversation_id
                    and bool(screen.query_one(Transcript).query(Turn)))
        turn = screen.query_one(Transcript).query_one(Turn)
        assert turn.prompt == "remember this"
        assert "About: remember this" in turn.views[0].full_text
