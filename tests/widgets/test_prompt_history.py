"""Up on an empty prompt recalls earlier prompts; Down walks back to an empty box."""

from __future__ import annotations

from textual.app import App, ComposeResult

from llmtui.widgets.prompt_input import PromptInput


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def compose(self) -> ComposeResult:
        yield PromptInput(id="prompt")

    def on_prompt_input_submitted(self, event: PromptInput.Submitted) -> None:
        self.sent.append(event.text)
        event.input.clear()


async def test_up_recalls_sent_and_seeded_prompts_and_down_returns() -> None:
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(PromptInput)
        box.set_history(["from last session"])
        box.focus()
        for text in ("first question", "second\nwith two lines"):
            box.insert(text)
            await pilot.press("enter")
        assert app.sent == ["first question", "second\nwith two lines"]
        await pilot.press("up")
        assert box.text == "second\nwith two lines"
        await pilot.press("up")  # the cursor is on the last line of a two-line prompt: moves up a line
        assert box.text == "second\nwith two lines" and box.cursor_location[0] == 0
        await pilot.press("up")
        assert box.text == "first question"
        await pilot.press("up", "up")
        assert box.text == "from last session"  # the oldest stays put
        await pilot.press("down")
        assert box.text == "first question"
        await pilot.press("down", "down", "down")
        assert box.text == ""


async def test_up_in_a_draft_moves_the_cursor_and_never_loses_the_draft() -> None:
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(PromptInput)
        box.set_history(["old"])
        box.focus()
        box.insert("my draft")
        await pilot.press("up")
        assert box.text == "my draft"
        await pilot.press("up")
        box.clear()
        await pilot.press("up")
        assert box.text == "old"
        await pilot.press("x")  # edited: no longer a recall, Down does not replace it
        await pilot.press("down")
        assert box.text == "oldx"


async def test_ctrl_e_without_an_editor_says_how_to_set_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    assert await ctrl_e_on_a_draft() == [
        "Set $VISUAL or $EDITOR (e.g. export EDITOR=vim) to compose in your editor."]


async def ctrl_e_on_a_draft() -> list[str]:
    """Press Ctrl+E on the draft "kept"; the notifications shown (the draft must survive)."""
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(PromptInput)
        box.focus()
        box.insert("kept")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.is_running
        assert box.text == "kept"
        return [n.message for n in app._notifications]


async def test_ctrl_e_with_a_missing_editor_says_so_and_keeps_the_draft(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: EDITOR naming a missing program hung the app on a blank screen."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "nosuch-editor-xyz --wait")
    assert await ctrl_e_on_a_draft() == [
        "The editor 'nosuch-editor-xyz' (from $VISUAL / $EDITOR) was not found; "
        "the prompt is unchanged."]


def test_an_editor_that_fails_to_start_inside_the_suspend_still_resumes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An executable the kernel cannot run (exec format error) fails inside the suspend: it still ends."""
    from contextlib import contextmanager

    from llmtui.widgets.prompt_input import EditorProblem, edit_text

    editor = tmp_path / "ed"
    editor.write_bytes(b"\x00\x01binary junk")
    editor.chmod(0o700)  # found by shutil.which, but exec fails
    events: list[str] = []

    class FakeApp:
        @contextmanager
        def suspend(self):  # type: ignore[no-untyped-def]
            events.append("suspend")
            yield  # Textual's suspend resumes only when the body returns normally
            events.append("resume")

    result = edit_text(FakeApp(), str(editor), "draft")  # type: ignore[arg-type]
    assert events == ["suspend", "resume"]
    assert isinstance(result, EditorProblem) and "Could not run the editor" in result.message


def test_the_placeholder_names_only_ctrl_j_inside_tmux(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: in tmux the placeholder offered Shift+Enter, which arrives there as Enter (sends).
    The screen asks core.terminal and hands the words to the widget."""
    from llmtui.core.terminal import newline_keys

    outside = {"TERM": "xterm-256color"}
    inside = {**outside, "TMUX": "/tmp/tmux-0/default,1,0"}
    assert str(PromptInput(newline_keys=newline_keys(outside)).placeholder).endswith(
        "Enter sends, Shift+Enter or Ctrl+J adds a line")
    assert str(PromptInput(newline_keys=newline_keys(inside)).placeholder).endswith(
        "Enter sends, Ctrl+J adds a line")
