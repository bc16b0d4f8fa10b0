"""Compare mode: two answers streaming at once, marks, blind votes, per-lane history."""

from __future__ import annotations

import json

from llmtui.core.store import Store
from llmtui.widgets.metrics_bar import MetricsBar
from tests.screens.helpers import answered, groq_config, make_app, send, until


async def test_both_columns_stream_at_once_and_get_marks() -> None:
    app = make_app(compare=("demo/simulated", "demo/simulated-fast"))
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "explain closures")
        screen = app.main
        # both lanes have text before either has finished: they really stream together
        await until(pilot, lambda: bool(screen.session.turns) and all(
            app.main.views[lane].full_text for lane in screen.session.turns[-1].lanes))
        assert any(lane.state == "streaming" for lane in screen.session.turns[-1].lanes)
        await answered(pilot)
        slow, fast = screen.session.turns[-1].lanes
        assert "About: explain closures" in app.main.views[slow].full_text
        assert "About: explain closures" in app.main.views[fast].full_text
        fast_bar = str(app.main.views[fast].query_one(MetricsBar).render())
        slow_bar = str(app.main.views[slow].query_one(MetricsBar).render())
        assert "faster" in fast_bar and "faster" not in slow_bar
        assert "cheaper" not in fast_bar + slow_bar  # both free: no cheaper mark
        conversation_id = screen.session.conversation_id
    messages = Store().messages(conversation_id)  # type: ignore[arg-type]
    answers = [m for m in messages if m.role == "assistant"]
    assert sorted((m.lane, m.model) for m in answers) == [(0, "demo/simulated"), (1, "demo/simulated-fast")]


async def test_each_model_sees_its_own_history(write_config, fake_url, monkeypatch, openai_server) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=("groq/lane-a", "demo/simulated-fast"))
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "one")
        await answered(pilot)
        await send(pilot, "two")
        await answered(pilot)
        demo_history = app.main.session.history("demo/simulated-fast")
    bodies = [r.json() for r in openai_server[0].requests
              if r.path.endswith("/chat/completions") and r.json().get("model") == "lane-a"]
    assert [m["content"] for m in bodies[-1]["messages"]] == ["one", "Hello, world!", "two"]
    assert demo_history[1].content.startswith("*(simulated answer")


async def test_cheaper_mark_with_prices(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch,
                '\n[prices."groq/dear"]\ninput = 10\noutput = 30\n'
                '[prices."groq/cheap"]\ninput = 1\noutput = 2\n')
    app = make_app(compare=("groq/dear", "groq/cheap"))
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        dear, cheap = screen.session.turns[-1].lanes
        assert "cheaper" in str(app.main.views[cheap].query_one(MetricsBar).render())
        assert "cheaper" not in str(app.main.views[dear].query_one(MetricsBar).render())


async def test_blind_compare_hides_names_until_the_vote() -> None:
    app = make_app(compare=("demo/simulated-fast", "demo/simulated"), blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "which is better")
        screen = await answered(pilot)
        lane_a, lane_b = screen.session.turns[-1].lanes
        title_a = str(app.main.views[lane_a].query_one(".title").render())
        assert title_a == "Model A"
        assert "demo/" not in str(app.main.views[lane_a].query_one(MetricsBar).render())
        assert "Model A vs Model B" in str(screen.query_one("#model-bar").render())
        await pilot.press("f6")  # B is better
        await until(pilot, lambda: screen.session.turns[-1].voted)
        await pilot.pause()
        # revealed: each side's title is the model that was drawn there this round
        assert str(app.main.views[lane_b].query_one(".title").render()) == lane_b.ref
        assert lane_a.ref in str(app.main.views[lane_a].query_one(MetricsBar).render())
        await pilot.press("f5")  # a second vote on the same turn is refused
        await pilot.pause()
        conversation_id = screen.session.conversation_id
    store = Store()
    rows = store._rows("SELECT winner, loser, models, prompt_id FROM votes")
    assert len(rows) == 1
    winner, loser, models, prompt_id = rows[0]
    assert (winner, loser) == (lane_b.ref, lane_a.ref)  # B was chosen, whichever model it was
    assert json.loads(models) == [lane_a.ref, lane_b.ref]
    assert store.message(prompt_id).role == "user"  # type: ignore[union-attr]
    assert store.conversation(conversation_id).blind  # type: ignore[arg-type, union-attr]


async def test_tie_vote_is_stored_as_no_winner() -> None:
    app = make_app(compare=("demo/simulated-fast", "demo/simulated"), blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "tie?")
        await answered(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: app.main.session.turns[-1].voted)
    assert Store()._rows("SELECT winner, loser FROM votes") == [(None, None)]


async def test_compare_from_the_catalog_with_c() -> None:
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(140, 40)) as pilot:
        from tests.screens.helpers import booted

        screen = await booted(pilot)
        await pilot.press("ctrl+f")
        await pilot.press(*"fast")
        await pilot.press("down")
        option_list = screen.query_one("#model-list")
        option_list.focus()
        await pilot.press("c")
        await pilot.pause()
        assert screen.session.models == ["demo/simulated", "demo/simulated-fast"]
        await pilot.press("ctrl+g")  # back to one model
        await pilot.pause()
        assert screen.session.models == ["demo/simulated"]


async def test_blind_compare_keeps_provider_names_out_of_errors_and_meter(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    from tests.screens.helpers import record_notices

    groq_config(write_config, fake_url, monkeypatch)
    seen = record_notices(monkeypatch)
    app = make_app(compare=("groq/bad-key", "demo/simulated"), blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "which is better")
        screen = await answered(pilot)
        await pilot.pause(0.3)
        # while the round ran, the failure said nothing of who failed
        first_failure = next(n for n in seen if "failed" in n)
        assert "Groq" not in first_failure and "groq" not in first_failure.lower()
        # no vote on a round where an answer failed: it is closed and shown instead
        failed = next(lane for lane in screen.session.turns[-1].lanes if lane.ref == "groq/bad-key")
        assert "Groq" in str(app.main.views[failed].query_one(".notice").render())
        await pilot.press("f7")
        await pilot.pause()
        conversation_id = screen.session.conversation_id
    assert [v for v in Store().votes() if v.conversation_id == conversation_id] == []