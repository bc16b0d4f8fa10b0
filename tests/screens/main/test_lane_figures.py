"""A compare lane that finishes first keeps its figures while another still streams.

The tester's repro: `llmtui --compare acme/fast acme/slow`; the fast lane's pinned line read
`acme/fast · ~0 tok (~3 in) · $? · TTFT … · … tok/s` and its footer was gone until the slow
lane ended. Here the second lane is the fake's `stall` model: some text, then silence.
"""

from __future__ import annotations

import pytest

from llmtui.core.session import LaneState
from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.metrics_bar import MetricsBar
from tests.screens.helpers import booted, groq_config, make_app, send, until

FAST, STALLED = "groq/alpha", "groq/stall"


@pytest.mark.parametrize("blind", [False, True])
async def test_the_lane_done_first_shows_its_figures_while_the_other_streams(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch, blind: bool) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=(FAST, STALLED), blind=blind)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        await send(pilot, "hello")
        await until(pilot, lambda: bool(screen.session.turns)
                    and len(screen.session.turns[-1].lanes) == 2)
        turn = screen.session.turns[-1]
        done = next(lane for lane in turn.lanes if lane.ref == FAST)
        await until(pilot, lambda: done.state is LaneState.DONE)
        await pilot.pause()
        assert turn.streaming  # the stalled lane is still going
        side = turn.lanes.index(done)
        pane = screen.query_one(CompareLanes).panes[side]
        pinned = str(pane.metrics.render())
        footer = str(screen.views[done].query_one(MetricsBar).render())
        for line in (pinned, footer):
            assert "4 tok" in line, (blind, line)  # the fake's four tokens
            assert "~0 tok" not in line and "TTFT …" not in line, (blind, line)
        if blind:
            assert FAST not in pinned and f"Model {'AB'[side]}" in pinned
            assert "$" not in pinned
        await pilot.press("escape")  # stop the stalled lane
        await until(pilot, lambda: not turn.streaming)
