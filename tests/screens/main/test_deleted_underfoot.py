"""The open conversation deleted while the TUI holds it (issue 12 flow tester, items 1, 3, 10):
from History in this process, or by `llmtui history delete` in another one."""

from __future__ import annotations

from llmtui.widgets.transcript import Transcript, Turn
from tests.screens.helpers import answered, groq_config, make_app, send, until


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_deleting_the_open_conversation_while_it_streams_stops_cleanly(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/drip-2000")
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "count slowly")
        screen = app.main
        await until(pilot, lambda: bool(screen.session.turns) and "w3" in
                    screen.views[screen.session.turns[-1].lanes[0]].full_text)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await until(pilot, lambda: app.screen.table.row_count == 1)  # type: ignore[attr-defined]
        await pilot.press("delete")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        await pilot.press("y")
        await until(pilot, lambda: "Conversation deleted." in _notes(app))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and screen.session.conversation_id is None)
        await until(pilot, lambda: not [w for w in screen.workers if w.group == "stream"
                                        and w.is_running])
        await pilot.pause(0.2)
        assert not [n for n in _notes(app) if "failed" in n], _notes(app)
        assert "The open conversation was deleted: this is a new one." in _notes(app)
        assert not screen.query_one(Transcript).query(Turn)
        await send(pilot, "and again")  # the next send works, in a new conversation
        await until(pilot, lambda: bool(screen.session.turns) and "w1" in
                    screen.views[screen.session.turns[-1].lanes[0]].full_text)
        await pilot.press("escape")
        await answered(pilot)
        assert not [n for n in _notes(app) if "failed" in n], _notes(app)
        assert [t.prompt for t in screen.session.turns] == ["and again"]
