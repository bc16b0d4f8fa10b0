"""The open conversation deleted while the TUI holds it (issue 12 flow tester, items 1, 3, 10):
from History in this process, or by `llmtui history delete` in another one."""

from __future__ import annotations

import asyncio

from llmtui.core.store import Store
from llmtui.widgets.transcript import Transcript, Turn
from tests.conftest import run_cli
from tests.core.store_records import answer
from tests.screens.helpers import answered, groq_config, make_app, send, until

FAST = "demo/simulated-fast"


def _told(app, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every notice the app shows from now on, even one that timed out before a check."""
    told: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (told.append(message), notify(message, **kw)))
    return told


async def _streaming(pilot):  # type: ignore[no-untyped-def]
    """A slow answer sent, and a few words of it on screen."""
    await send(pilot, "count slowly")
    screen = pilot.app.main
    await until(pilot, lambda: bool(screen.session.turns) and "w3" in
                screen.views[screen.session.turns[-1].lanes[0]].full_text)
    return screen


async def test_deleting_the_open_conversation_while_it_streams_stops_cleanly(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/drip-2000")
    told = _told(app, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _streaming(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await until(pilot, lambda: app.screen.table.row_count == 1)  # type: ignore[attr-defined]
        await pilot.press("delete")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        await pilot.press("y")
        await until(pilot, lambda: "Conversation deleted." in told)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and screen.session.conversation_id is None)
        await until(pilot, lambda: not [w for w in screen.workers if w.group == "stream"
                                        and w.is_running])
        await pilot.pause(0.2)
        assert not [n for n in told if "failed" in n], told
        assert "The open conversation was deleted: this is a new one." in told
        assert not screen.query_one(Transcript).query(Turn)
        await send(pilot, "and again")  # the next send works, in a new conversation
        await until(pilot, lambda: bool(screen.session.turns) and "w1" in
                    screen.views[screen.session.turns[-1].lanes[0]].full_text)
        await pilot.press("escape")
        await answered(pilot)
        assert not [n for n in told if "failed" in n], told
        assert [t.prompt for t in screen.session.turns] == ["and again"]


async def test_a_conversation_deleted_by_another_process_is_never_written_into_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Tester item 1: TUI A holds conversation N; another shell deletes it and `ask` starts a
    conversation. A's next prompt must not land in that one (nor in N): it starts a new
    conversation, says so in one line, and is sent alone."""
    app = make_app(model=FAST)
    told = _told(app, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hello from A")
        screen = await answered(pilot)
        old = screen.session.conversation_id
        assert old is not None
        for args in (("history", "delete", str(old)), ("ask", "-m", FAST, "brand new ask conversation")):
            result = await asyncio.to_thread(run_cli, *args)
            assert result.returncode == 0, result.stderr
        asked = Store().last_conversation_id()
        assert asked is not None and asked != old  # an id is never given out twice
        await send(pilot, "message from stale TUI")
        await answered(pilot)
        new = screen.session.conversation_id
        assert new is not None and new not in (old, asked)
        assert f"Conversation {old} was deleted elsewhere: this prompt starts a new conversation." in told
        assert [t.prompt for t in screen.session.turns] == ["message from stale TUI"]
        assert len(screen.query_one(Transcript).query(Turn)) == 1
        sent = screen.session.turns[-1].exchanges[0].history
        assert [m.content for m in sent] == ["message from stale TUI"]  # nothing of the old context
    store = Store()
    assert [m.content for m in store.messages(asked) if m.role == "user"] == ["brand new ask conversation"]
    assert [m.content for m in store.messages(new) if m.role == "user"] == ["message from stale TUI"]


async def test_prompts_another_llmtui_added_are_reported_on_send(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Tester item 11: two processes on one conversation. The one sending is told, once, that the
    conversation holds prompts it does not show."""
    app = make_app(model=FAST)
    told = _told(app, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "from A, first")
        screen = await answered(pilot)
        cid = screen.session.conversation_id
        assert cid is not None
        other = Store()  # process B's connection: its prompt and answer
        prompt = other.add_message(cid, "user", "from B")
        reply = other.add_message(cid, "assistant", "", model=FAST, parent_id=prompt)
        other.finish_message(reply, answer(content="B's answer", status="done"))
        await send(pilot, "from A, second")
        await answered(pilot)
        said = [n for n in told if n.startswith("Another llmtui")]
        assert said == ["Another llmtui added 1 prompt to this conversation, not shown here "
                        "(ctrl+o reopens it with them)."]
        assert screen.session.conversation_id == cid
        await send(pilot, "from A, third")  # said once, not on every send
        await answered(pilot)
        assert len([n for n in told if n.startswith("Another llmtui")]) == 1


async def test_an_answer_whose_conversation_is_deleted_mid_stream_lands_in_a_file_and_says_where(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    """Tester item 10: `llmtui history delete ID` from another shell while the TUI streams into
    ID. The lane says at once that the answer cannot be saved there; Esc keeps the text in a
    recovery file and the lane names it; the next prompt starts a new conversation."""
    from llmtui import paths

    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/drip-2000")
    told = _told(app, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _streaming(pilot)
        cid = screen.session.conversation_id
        result = await asyncio.to_thread(run_cli, "history", "delete", str(cid))
        assert result.returncode == 0, result.stderr
        view = screen.views[screen.session.turns[-1].lanes[0]]

        def notice() -> str:
            return " ".join(str(n.render()) for n in view.query(".notice"))

        await until(pilot, lambda: "its conversation was deleted while it streamed" in notice())
        assert "written to a recovery file when it ends" in notice()
        await pilot.press("escape")
        await answered(pilot)
        shown = " ".join(notice().split())
        assert "interrupted" in shown and "it was written to" in shown, shown
        (saved,) = (paths.data_dir() / "recovered").iterdir()
        assert str(saved) in shown.replace(" ", "") or saved.name in shown.replace(" ", "")
        text = saved.read_text()
        assert "w0 w1 w2 w3" in text
        await send(pilot, "and then")
        await until(pilot, lambda: screen.session.turns[-1].prompt == "and then")
        assert f"Conversation {cid} was deleted elsewhere: this prompt starts a new conversation." in told
        await pilot.press("escape")
        await answered(pilot)
