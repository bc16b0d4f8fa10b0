"""`llmtui vote RUN_ID`: a stored run judged blind, pair by pair, on the real vote screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from llmtui.core.store import CompareRun, Store
from llmtui.screens.vote import VoteScreen
from tests.conftest import run_cli
from tests.core.store_records import answer as record
from tests.screens.harness import ScreenApp, screen_text

X, Y, BROKEN = "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "groq/llama-3.3-70b-versatile"
NAMES = ("gpt-4o", "claude", "llama", "openai", "anthropic", "groq", "OpenAI", "Anthropic", "Groq")


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


def answer(store: Store, run: CompareRun, prompt_id: int, lane: int, text: str,
           status: str = "done") -> int:
    ref = run.models[lane]
    mid = store.add_message(run.conversation_id, "assistant", text, lane=lane, model=ref,
                            parent_id=prompt_id)
    # what an Exchange records at the end (set directly: this test is about judging)
    store.finish_message(mid, record(
        text, status, input_tokens=9, output_tokens=40, cost_usd="0.0042" if lane else "0.0001",
        ttft_s=0.3, duration_s=1.3, served_by=f"{ref.split('/')[0]}-backend",
        error_kind="server" if status == "error" else None))
    return mid


async def opened(app: ScreenApp, pilot: Pilot[None]) -> VoteScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, VoteScreen)
    return app.screen


def stored_run(store: Store, rounds: int) -> CompareRun:
    """X and Y answer every round; the third model's answer always failed."""
    run = store.new_run([X, Y, BROKEN], repeats=rounds)
    for repeat in range(1, rounds + 1):
        prompt_id = store.add_run_item(run, "Say something kind", item="1", repeat=repeat)
        answer(store, run, prompt_id, 0, f"first lane words {repeat}")
        answer(store, run, prompt_id, 1, f"second lane words {repeat}")
        answer(store, run, prompt_id, 2, "", status="error")
    return run


async def test_sides_drawn_both_ways_nothing_names_a_model_before_the_vote(store: Store) -> None:
    rounds = 24
    run = stored_run(store, rounds)
    app = ScreenApp(lambda: VoteScreen(store, run))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await opened(app, pilot)
        assert screen.total == rounds  # only X-Y pairs: the failed answers are never judged
        x_on_a = 0
        for number in range(1, rounds + 1):
            shown = screen.shown
            assert shown is not None
            text = screen_text(app)
            assert f"pair {number} of {rounds}" in text
            for name in NAMES:
                assert name not in text, name
            assert "$" not in text and "backend" not in text
            assert "40 tok" in text and "TTFT 0.30s" in text  # what the user judges shows
            # the user always prefers X, wherever it was drawn
            x_on_a += shown.a.model == X
            await pilot.press("a" if shown.a.model == X else "b")
            await pilot.pause()
            after = screen_text(app)
            assert f"A was {shown.a.model}, B was {shown.b.model}" in after
            assert "$0.0042" in after  # costs show once the vote is in
            await pilot.press("enter")
            await pilot.pause()
        assert 0 < x_on_a < rounds  # both orders were drawn
        assert "Every pair of this run is judged" in screen_text(app)
    stored = store.votes()
    assert len(stored) == rounds and all(v.blind and v.run_id == run.id for v in stored)
    assert {v.winner for v in stored} == {X} and {v.loser for v in stored} == {Y}
    assert sum(v.side_a == X for v in stored) == x_on_a
    # each vote names the two answers judged, on the sides they were shown
    for v in stored:
        a = store.message(v.answer_a or 0)
        assert a is not None and a.model == v.side_a


async def test_tie_both_bad_skip_and_word_diff(store: Store) -> None:
    run = stored_run(store, 3)
    app = ScreenApp(lambda: VoteScreen(store, run))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert screen.diffing and "lane words" in screen_text(app)
        await pilot.press("s")  # skipped: stays open for another time
        await pilot.pause()
        await pilot.press("t", "enter", "x")
        await pilot.pause()
        assert "You said both bad" in screen_text(app)
        await pilot.press("a")  # one vote per pair
        await pilot.pause()
    assert sorted(str(v.choice) for v in store.votes()) == ["both_bad", "tie"]
    # a second session offers only the skipped pair
    from llmtui.core.judging import open_pairs

    assert len(open_pairs(store, run)) == 1


def test_cli_unknown_run_is_a_usage_error() -> None:
    result = run_cli("vote", "999")
    assert result.returncode == 2 and "no compare run 999" in result.stderr
