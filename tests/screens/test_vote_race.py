"""Two `llmtui vote RUN_ID` sessions on one run: one vote per pair, and the loser is told.

Each session is its own connection to the same store file, as two processes are; the
subprocess test races two real processes through the code the vote screen calls.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from llmtui.core.judging import cast, open_pairs
from llmtui.core.store import Choice, Store
from llmtui.screens.vote import VoteScreen
from tests.screens.harness import ScreenApp, screen_text
from tests.screens.test_vote import opened, stored_run

ROOT = Path(__file__).resolve().parents[2]


async def test_the_second_session_to_vote_on_a_pair_stores_nothing_and_is_told(
        tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    mine, theirs = Store(path), Store(path)
    try:
        run = stored_run(mine, 3)
        app = ScreenApp(lambda: VoteScreen(mine, run))
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await opened(app, pilot)
            assert screen.total == 3
            # the other window judges every pair while this one shows its first
            for pair in open_pairs(theirs, run):
                assert cast(theirs, run, pair.draw(), Choice.A) is not None
            await pilot.press("a")
            await pilot.pause()
            text = screen_text(app)
            assert "Another session judged this pair first" in text
            assert "yours was not stored" in text
        assert len(mine.votes()) == 3  # one per pair, not 4

        # a third session on the judged run hears that it is judged, not "nothing to judge"
        app = ScreenApp(lambda: VoteScreen(theirs, run))
        async with app.run_test(size=(120, 30)) as pilot:
            await opened(app, pilot)
            text = screen_text(app)
            assert "already judged" in text and "all 3 of its pairs" in text
            assert "Nothing to judge" not in text
    finally:
        mine.close()
        theirs.close()


RACER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from llmtui.core.store import Choice
    from llmtui.core.judging import cast, open_pairs
    from llmtui.core.store import Store

    path, run_id, me = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    store = Store(path)
    run = store.load_run(run_id)
    pairs = open_pairs(store, run)            # both sessions load before either votes
    (path.parent / f"ready-{me}").write_text(str(len(pairs)))
    while not (path.parent / "go").exists():
        time.sleep(0.01)
    stored = sum(cast(store, run, p.draw(), Choice.A) is not None for p in pairs)
    print(len(pairs), stored)
""")


def test_two_processes_racing_on_one_run_store_one_vote_per_pair(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = Store(path)
    run = stored_run(store, 3)
    store.close()
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(path), str(run.id), me],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
              for me in ("one", "two")]
    ready = [tmp_path / "ready-one", tmp_path / "ready-two"]
    while not all(r.exists() for r in ready):
        assert all(p.poll() is None for p in racers), "a racer died before the start"
        time.sleep(0.01)
    (tmp_path / "go").write_text("")
    outputs = [p.communicate(timeout=60)[0].split() for p in racers]
    assert [o[0] for o in outputs] == ["3", "3"]  # each offered every pair
    assert sum(int(o[1]) for o in outputs) == 3   # but each pair stored once
    store = Store(path)
    try:
        judged = [frozenset((v.answer_a, v.answer_b)) for v in store.votes()]
        assert len(judged) == len(set(judged)) == 3
    finally:
        store.close()
