"""Compare runs and votes with drawn sides, on a real SQLite file."""

from __future__ import annotations

import random
from pathlib import Path

from llmtui.core.blind_rounds import draw_sides
from llmtui.core.store import Choice, Store, Vote


def test_sides_are_drawn_both_ways_and_a_vote_maps_back_to_its_model(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["x/one", "y/two"], blind=True)
    rng = random.Random(7)
    orders = set()
    for _ in range(40):
        side_a, side_b = draw_sides("x/one", "y/two", rng)
        orders.add((side_a, side_b))
        # the user always prefers whichever side holds y/two
        choice = Choice.A if side_a == "y/two" else Choice.B
        store.record_vote(Vote(side_a, side_b, choice, True, cid))
    assert orders == {("x/one", "y/two"), ("y/two", "x/one")}
    stored = store.votes()
    assert len(stored) == 40 and {v.winner for v in stored} == {"y/two"}
    assert {v.loser for v in stored} == {"x/one"} and all(v.blind for v in stored)
    assert {(v.side_a, v.side_b) for v in stored} == orders
    # the legacy columns agree, for readers that only know them
    rows = store._rows("SELECT DISTINCT winner, loser FROM votes")
    assert rows == [("y/two", "x/one")]


def test_both_bad_has_no_winner_and_reads_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["x/one", "y/two"], blind=True)
    store.record_vote(Vote("y/two", "x/one", Choice.BOTH_BAD, True, cid, answer_a=5, answer_b=6))
    (vote,) = store.conversation_votes(cid)
    assert vote.choice is Choice.BOTH_BAD and vote.winner is None and vote.loser is None
    assert (vote.answer_a, vote.answer_b) == (5, 6)


def test_a_run_keeps_its_items_in_order_and_goes_with_its_conversation(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    run = store.new_run(["x/one", "y/two"], repeats=2, prompt_set="evals.jsonl", system="Terse.")
    for item, text in (("q1", "What is 2+2?"), ("q2", "Name a prime")):
        for repeat in (1, 2):
            store.add_run_item(run, text, item=item, repeat=repeat, system="Be exact.")
    loaded = store.load_run(run.id)
    assert loaded == run
    conv = store.conversation(run.conversation_id)
    assert conv is not None and conv.mode == "compare" and conv.models == ("x/one", "y/two")
    assert store.system_prompt(run.conversation_id) == "Terse."
    items = store.run_items(run.id)
    assert [(i.item, i.repeat, i.prompt) for i in items] == [
        ("q1", 1, "What is 2+2?"), ("q1", 2, "What is 2+2?"),
        ("q2", 1, "Name a prime"), ("q2", 2, "Name a prime")]
    assert {i.system for i in items} == {"Be exact."}
    store.record_vote(Vote("x/one", "y/two", Choice.A, True, run.conversation_id,
                            items[0].prompt_id, run_id=run.id))
    assert store.votes()[0].prompt_set == "evals.jsonl"
    store.delete_conversation(run.conversation_id)
    assert store.load_run(run.id) is None and store.votes() == []
