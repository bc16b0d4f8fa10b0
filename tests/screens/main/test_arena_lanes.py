"""Compare lanes after the tester's report: titles and tabs named after the reveal (LOW 6), and
'remove the focused lane' with no lane focused removes nothing (LOW 8)."""

from __future__ import annotations

import pytest

from llmtui.widgets.compare_lanes import CompareLanes
from tests.screens.harness import screen_text
from tests.screens.helpers import answered, booted, groq_config, make_app, send, until

ALPHA, BETA = "groq/alpha", "groq/beta"


@pytest.mark.parametrize(("size", "mode"), [((160, 40), "cols"), ((44, 30), "tabs")])
async def test_pane_titles_and_tabs_name_the_models_after_the_vote(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch, size: tuple[int, int], mode: str) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(ALPHA, BETA), blind=True)
    async with app.run_test(size=size) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        lanes = screen.query_one(CompareLanes)
        assert lanes.mode == mode
        assert [p.title for p in lanes.panes] == ["Model A", "Model B"]
        turn = screen.session.turns[-1]
        await pilot.press("f7")  # a tie
        await until(pilot, lambda: turn.voted)
        await pilot.pause()
        assert [p.title for p in lanes.panes] == turn.refs
        if mode == "tabs":
            assert f"1 {turn.refs[0]}" in screen_text(app)
        await send(pilot, "again")  # the next round hides them again
        await answered(pilot)
        assert [p.title for p in lanes.panes] == ["Model A", "Model B"]


async def test_removing_the_focused_lane_with_no_lane_focused_removes_nothing(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(ALPHA, BETA))
    notes: list[str] = []
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(str(message)))
        screen.query_one("#catalog").focus()  # the tester's case: focus in the catalog
        await pilot.pause()
        await screen.remove_lane()
        await pilot.pause()
        assert screen.session.models == [ALPHA, BETA]
        assert any("Focus a lane first" in n for n in notes)
        await pilot.press("f10")  # focus moves to a lane: that one goes
        await pilot.pause()
        focused = screen.query_one(CompareLanes).active
        await screen.remove_lane()
        await pilot.pause()
        assert screen.session.models == [[ALPHA, BETA][1 - focused]]
