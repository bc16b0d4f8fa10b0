"""The conversation flow a new user walked through (ux-walkthrough H1, H4, H5, M1-M4).

Each test drives the app as a person would (keys, the catalog, History) and checks the
typed session (`MainScreen.session`), the store and the export.
"""

from __future__ import annotations

from textual import events

from llmtui.core.export import conversation_markdown
from llmtui.core.session import LaneState, TurnKind
from llmtui.core.store import Store
from llmtui.widgets.transcript import Transcript, Turn
from tests.screens import helpers
from tests.screens.helpers import booted, make_app, send

FAST, SLOW = "demo/simulated-fast", "demo/simulated"


async def answered(pilot):  # type: ignore[no-untyped-def]
    return await helpers.answered(pilot, timeout=60)  # demo/simulated at 90 tok/s on a busy box


async def until(pilot, condition):  # type: ignore[no-untyped-def]
    await helpers.until(pilot, condition, timeout=60)


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_picking_another_model_continues_the_same_conversation() -> None:
    app = make_app(model=SLOW)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "my name is Zorblax, remember it")
        screen = await answered(pilot)
        session = screen.session
        first_id = session.conversation_id
        spent = len(session.costs)
        await pilot.press("ctrl+f", *"fast", "enter")  # filter the catalog, Enter picks
        await until(pilot, lambda: session.models == [FAST])
        assert any("see this conversation" in n for n in _notes(app))
        await send(pilot, "what is my name?")
        await answered(pilot)
        assert session.conversation_id == first_id
        sent = session.turns[-1].exchanges[0].history
        assert [m.content for m in sent][0] == "my name is Zorblax, remember it"
        assert len(session.costs) == spent + 1  # the meter's conversation figure goes on
        assert len(screen.query_one(Transcript).query(Turn)) == 2
        # ctrl+g and a pick: compare, still the same conversation; B is sent it too
        await pilot.press("ctrl+g")
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
        app.screen.dismiss(SLOW)  # what choosing a row does
        await until(pilot, lambda: session.models == [FAST, SLOW])
        await send(pilot, "and now both")
        await answered(pilot)
        assert session.conversation_id == first_id
        lane_b = session.turns[-1].exchanges[1].history
        assert "my name is Zorblax, remember it" in [m.content for m in lane_b]
        store = Store()
        assert [c.id for c in store.conversations()] == [first_id]  # history keeps one entry
        markdown = conversation_markdown(store, first_id)  # type: ignore[arg-type]
        assert "Zorblax" in markdown and "what is my name?" in markdown and "and now both" in markdown
        # ctrl+n is the way to start afresh, and it says so
        await pilot.press("ctrl+n")
        await until(pilot, lambda: session.conversation_id is None and not session.turns)
        assert any(n.startswith("New conversation with") for n in _notes(app))


async def test_deleting_the_open_conversation_in_history_leaves_a_clean_new_chat() -> None:
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hello")
        screen = await answered(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await pilot.pause(0.3)
        await pilot.press("delete")
        await pilot.pause(0.3)
        await pilot.press("y")  # yes, delete it
        await pilot.pause(0.3)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and screen.session.conversation_id is None)
        assert not screen.query_one(Transcript).query(Turn)
        await send(pilot, "again")
        await answered(pilot)
        assert app.is_running
        assert screen.session.turns[-1].lanes[0].state is LaneState.DONE
        cid = screen.session.conversation_id
        assert cid is not None  # a new row (SQLite may give it the deleted one's id)
        assert [m.content for m in Store().messages(cid) if m.role == "user"] == ["again"]


async def test_text_typed_right_after_enter_is_kept() -> None:
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await booted(pilot)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        prompt.text = "first"  # type: ignore[attr-defined]
        # The keys arrive before the screen has handled the submit (a fast typist).
        app.post_message(events.Key("enter", None))
        for char in "next":
            app.post_message(events.Key(char, char))
        await answered(pilot)
        assert screen.session.turns[-1].prompt == "first"
        assert prompt.text == "next"  # type: ignore[attr-defined]


async def _conversation_rerun_on_slow() -> int:
    """A stored conversation: two prompts on FAST, the last one rerun on SLOW."""
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "one")
        await answered(pilot)
        await send(pilot, "two")
        screen = await answered(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
        app.screen.dismiss(SLOW)
        await until(pilot, lambda: screen.session.turns[-1].kind is TurnKind.RERUN)
        await answered(pilot)
        turns = list(screen.query_one(Transcript).query(Turn))
        assert turns[-1].note == f"rerun on {SLOW} — earlier answer kept"
        assert [t.prompt for t in turns] == ["one", "two"]
        await pilot.press("f8")  # the earlier answer is there to see
        await until(pilot, lambda: type(app.screen).__name__ == "BranchesScreen")
        kept = app.screen.branch.turns  # type: ignore[attr-defined]
        assert [t.prompt for t in kept] == ["two"]
        assert kept[0].lanes[0].ref == FAST and "About: two" in kept[0].lanes[0].text
        await pilot.press("escape")
        cid = screen.session.conversation_id
        assert cid is not None
        return cid


async def test_a_reopened_conversation_is_fully_live_on_the_model_it_last_used() -> None:
    cid = await _conversation_rerun_on_slow()
    app = make_app(resume="last")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await booted(pilot)
        session = screen.session
        await until(pilot, lambda: session.conversation_id == cid)
        assert session.models == [SLOW]
        assert [t.prompt for t in session.turns] == ["one", "two"]
        assert session.turns[-1].kind is TurnKind.RERUN
        await pilot.press("ctrl+r")  # rerun sees the reopened prompts
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
        app.screen.dismiss(None)
        await pilot.pause()
        await pilot.press("ctrl+up", "ctrl+up")  # and so does edit
        prompt = screen.query_one("#prompt")
        assert prompt.text == "one"  # type: ignore[attr-defined]
        prompt.text = "one, edited"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: session.turns[-1].prompt == "one, edited")
        await answered(pilot)
        assert [t.prompt for t in session.turns] == ["one, edited"]
        assert session.turns[-1].kind is TurnKind.EDIT
        note = screen.query_one(Transcript).query(Turn).last().note
        assert note == "edited — earlier answer kept"
        await pilot.press("ctrl+g")  # compare, from a reopened conversation
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
        app.screen.dismiss(FAST)
        await until(pilot, lambda: session.models == [SLOW, FAST])
        await send(pilot, "three")
        await answered(pilot)
        assert session.conversation_id == cid
        for exchange in session.turns[-1].exchanges:
            assert [m.content for m in exchange.history][0] == "one, edited"
    markdown = conversation_markdown(Store(), cid)
    assert f"*Rerun on {SLOW}: the earlier answer is kept as branch [1a/2a]" in markdown
    assert "*Edited prompt: the prompt it replaced and the turns after it are kept as branch [1a]" in markdown
    assert "## 2 · You" in markdown.split("## Branches")[0]  # "three", after the edited "one"


async def test_an_answer_a_rerun_kept_stays_reachable_after_an_earlier_edit() -> None:
    """Tester item 9: answer prompt 3, rerun it on another model, then edit prompt 2: F8 still
    reaches the first answer to prompt 3 (a branch inside the branch the edit kept)."""
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        for text in ("one", "two", "three"):
            await send(pilot, text)
            screen = await answered(pilot)
        session = screen.session
        await pilot.press("ctrl+r")
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
        app.screen.dismiss(SLOW)
        await until(pilot, lambda: session.turns[-1].kind is TurnKind.RERUN)
        await answered(pilot)
        await pilot.press("ctrl+up", "ctrl+up")
        prompt = screen.query_one("#prompt")
        assert prompt.text == "two"  # type: ignore[attr-defined]
        prompt.text = "two, edited"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: session.turns[-1].prompt == "two, edited")
        await answered(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: type(app.screen).__name__ == "BranchesScreen")
        branches = app.screen.branches  # type: ignore[attr-defined]
        assert [(b.label, [t.prompt for t in b.turns]) for b in branches] == [
            ("2a", ["two", "three"]), ("2a/3a", ["three"])]
        assert app.screen.branch.label == "2a"  # type: ignore[attr-defined]  # the newest first
        await pilot.press("f8")
        shown = app.screen.branch  # type: ignore[attr-defined]
        assert shown.label == "2a/3a" and shown.turns[0].lanes[0].ref == FAST
        assert "About: three" in shown.turns[0].lanes[0].text
        title = str(app.screen.query_one("#branch-title").render())
        assert "turn 3 of branch 2a, now rerun on " + SLOW in title
        await pilot.press("escape")


async def test_help_opens_and_closes_with_the_same_keys_app_keys_first() -> None:
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await booted(pilot)
        for opener, closer in (("f1", "f1"), ("question_mark", "question_mark"), ("f1", "escape")):
            await pilot.press(opener)
            await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
            rows = app.screen.rows  # type: ignore[attr-defined]
            assert rows[0][0] == "llmtui"
            sections = [row[0] for row in rows]
            assert sections.index("This screen") < min(
                i for i, s in enumerate(sections) if s.startswith("Editing"))
            await pilot.press(closer)
            await until(pilot, lambda: app.screen is screen)


async def test_hints_and_help_name_the_keys_as_keymap_bound_them(write_config) -> None:  # type: ignore[no-untyped-def]
    """Tester #4/#5: toasts named ctrl+k, ctrl+n and Esc, and the help page F1, whatever
    [keymap] said; a rebound help key opened the page but did not close it."""
    write_config('[keymap]\n"app.keys" = "alt+k"\n"chat.new" = "alt+n"\n"chat.cancel" = "f11"\n'
                 '"app.help" = "alt+h"\n')
    app = make_app(model=SLOW)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await booted(pilot)
        await send(pilot, "hello there")
        await until(pilot, lambda: screen.session.streaming)
        await screen.switch_to([FAST])
        await until(pilot, lambda: "Still answering; press f11 to stop it first." in _notes(app))
        await pilot.press("f11")
        await until(pilot, lambda: not screen.session.streaming)
        await screen.switch_to([FAST])
        await screen.switch_to(["groq/llama-3.3-70b-versatile"])
        await until(pilot, lambda: any(n.startswith("No key for groq yet") for n in _notes(app))
                    and any("starts a new one" in n for n in _notes(app)))
        notes = _notes(app)
        assert any("(alt+n starts a new one)" in n for n in notes), notes
        assert any(n.startswith("No key for groq yet: press alt+k to add one") for n in notes), notes
        assert not any(k in n for n in notes for k in ("ctrl+k", "ctrl+n", "Esc"))
        await pilot.press("alt+h")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        assert str(app.screen.query_one("#help-title").render()) == "Keys — alt+h, ? or Esc closes this"
        await pilot.press("alt+h")
        await until(pilot, lambda: app.screen is screen)


async def test_a_failing_worker_says_so_on_screen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import llmtui.present.meter as meter

    def broken(_runtime: object) -> None:
        raise RuntimeError("spend totals unreadable")

    monkeypatch.setattr(meter, "collect", broken)
    app = make_app(model=FAST)
    async with app.run_test(size=(140, 40)) as pilot:
        await booted(pilot)
        await until(pilot, lambda: any("spend totals unreadable" in n for n in _notes(app)))
        assert any(n.startswith("meter failed") for n in _notes(app))
