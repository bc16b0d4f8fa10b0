"""The arena in the TUI: blind rounds that hold, 3 and 4 lanes, narrow layouts, lanes that scroll alone."""

from __future__ import annotations

import random

import pytest

from llmtui.core.store import Store
from llmtui.widgets.compare_lanes import CompareLanes
from tests.screens.harness import screen_text
from tests.screens.helpers import answered, groq_config, make_app, send, until

ALPHA, BETA = "groq/alpha", "groq/beta"
PRICES = ('\n[prices."groq/alpha"]\ninput = 0.59\noutput = 0.79\n'
          '[prices."groq/beta"]\ninput = 15\noutput = 75\n')
# what must not show before a vote: names, the provider, prices and costs
TELLS = ("alpha", "beta", "groq", "Groq", "$0.0", "0.59", "0.79", "cheaper")


async def test_blind_sides_are_drawn_each_round_and_the_vote_names_the_right_model(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch, PRICES)
    app = make_app(compare=(ALPHA, BETA), blind=True)
    rounds = 8
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "warm up")
        screen = await answered(pilot)
        # The whole screen of a fresh blind round, but for the catalog pane: it lists every
        # model that can be picked (the same whichever side is which), so it is set aside.
        screen.query_one("#left").display = False
        await pilot.pause()
        first = screen_text(app)
        screen.query_one("#left").display = True
        for tell in TELLS:
            assert tell not in first, tell
        assert "Model A" in first and "cost after the vote" in first
        screen.session.rng = random.Random(5)  # seeded: both orders within eight rounds
        await pilot.press("f9")  # both bad, for the first round
        orders = []
        for n in range(rounds):
            await send(pilot, f"round {n}")
            await answered(pilot)
            turn = screen.session.turns[-1]
            orders.append(tuple(turn.refs))
            before = round_text(screen)  # earlier rounds on screen are revealed, and redrawn
            for tell in TELLS:
                assert tell not in before, (tell, n)
            assert "Model A" in before and "Model B" in before
            assert "cost after the vote" in before
            await pilot.press("f5" if turn.refs[0] == BETA else "f6")  # always prefer beta
            await until(pilot, lambda turn=turn: turn.voted)
            await pilot.pause()
            after = screen_text(app)
            assert ALPHA in after and BETA in after  # revealed
        assert set(orders) == {(ALPHA, BETA), (BETA, ALPHA)}
        conversation_id = screen.session.conversation_id
    stored = [v for v in Store().votes() if v.conversation_id == conversation_id]
    assert len(stored) == rounds + 1 and all(v.blind for v in stored)
    assert str(stored[0].choice) == "both_bad" and stored[0].winner is None
    assert [v.winner for v in stored[1:]] == [BETA] * rounds
    assert [(v.side_a, v.side_b) for v in stored[1:]] == orders


async def test_no_vote_on_a_round_where_an_answer_failed(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(ALPHA, "groq/500"), blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        await pilot.pause(0.2)
        # nothing to judge: the round is closed, its names and the error shown
        assert screen.session.vote_problem() is not None
        assert "no vote on this round" in screen.session.vote_problem()  # type: ignore[operator]
        assert "groq/500" in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        conversation_id = screen.session.conversation_id
    assert [v for v in Store().votes() if v.conversation_id == conversation_id] == []


@pytest.mark.parametrize(("models", "size", "mode"), [
    (3, (160, 40), "cols"), (3, (80, 30), "tabs"),
    (4, (220, 44), "cols"), (4, (160, 44), "grid"), (4, (70, 30), "tabs"),
])
async def test_three_and_four_lanes_scroll_on_their_own(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch, models: int, size: tuple[int, int], mode: str) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    refs = ("groq/long-400", ALPHA, BETA, "groq/gamma")[:models]
    app = make_app(compare=refs)
    async with app.run_test(size=size) as pilot:
        await send(pilot, "compare")
        screen = await answered(pilot)
        lanes = screen.query_one(CompareLanes)
        assert len(lanes.panes) == models and lanes.mode == mode
        long_pane, *short = lanes.panes
        assert long_pane.scroll.max_scroll_y > 0
        assert all(p.scroll.max_scroll_y == 0 for p in short)
        long_pane.scroll.scroll_home(animate=False)
        await pilot.pause()
        assert long_pane.scroll.scroll_y == 0
        for pane in lanes.panes:  # every lane's figures stay pinned, whatever its scroll
            if mode != "tabs" or pane.index == lanes.active:
                assert pane.region.contains_region(pane.metrics.region)
                assert "tok" in str(pane.metrics.render())
        if mode == "tabs":
            assert [p.index for p in lanes.panes if p.region.width] == [0]
            await pilot.press("f10")  # the next lane
            await pilot.pause()
            assert [p.index for p in lanes.panes if p.region.width] == [1]
            assert "Hello, world!" in screen_text(app)


async def test_catalog_c_adds_a_lane_and_a_command_removes_one(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(ALPHA, BETA))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await send_and_wait(pilot, "hi")
        await screen.add_lane("groq/gamma")
        await pilot.pause()
        assert screen.session.models == [ALPHA, BETA, "groq/gamma"]
        assert len(screen.query_one(CompareLanes).panes) == 3
        await screen.remove_lane(1)
        await pilot.pause()
        assert screen.session.models == [ALPHA, "groq/gamma"]
        await send(pilot, "again")
        await answered(pilot)
        assert screen.session.turns[-1].refs == [ALPHA, "groq/gamma"]


async def test_word_diff_between_two_lanes(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(ALPHA, "groq/long-5"))
    async with app.run_test(size=(160, 40)) as pilot:
        await send_and_wait(pilot, "hi")
        await pilot.press("f4")
        await pilot.pause()
        text = screen_text(app)
        assert "word diff against" in text and "alike" in text
        await pilot.press("f4")
        await pilot.pause()
        assert "word diff against" not in screen_text(app)


def round_text(screen) -> str:  # type: ignore[no-untyped-def]
    """What shows of the current round: its answers (title, text, notices, figures), each
    pane's pinned figures and title, the model bar and the cost meter's totals."""
    from llmtui.widgets.cost_meter import CostMeter

    turn = screen.session.turns[-1]
    parts = [str(w.render()) for lane in turn.lanes for w in screen.views[lane].query("Static")]
    lanes = screen.query_one(CompareLanes)
    parts += [str(p.metrics.render()) + p.title for p in lanes.panes]
    parts.append(str(screen.query_one("#model-bar").render()))
    # The meter's figures for this answer and conversation. Today's, the month's and the
    # per-provider spend are read again only after a vote, so they hold earlier rounds alone.
    totals = str(screen.query_one(CostMeter).query_one("#totals").render()).splitlines()
    parts += [line for line in totals if line.startswith(("this answer", "conversation"))]
    return "\n".join(parts)


async def send_and_wait(pilot, text: str):  # type: ignore[no-untyped-def]
    await send(pilot, text)
    return await answered(pilot)
