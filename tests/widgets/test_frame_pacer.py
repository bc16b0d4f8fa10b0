"""The frame pacer: 15 frames a second while the process has CPU to spare, 5 while it is busy,
and back again (a simulated clock; counted frames, not timed)."""

from __future__ import annotations

from llmtui.widgets.frame_pacer import FASTEST_S, SLOWEST_S, FramePacer

CLOCK_S = 1 / 30


def frames(pacer: FramePacer, seconds: float, busy: float, start: float = 0.0) -> tuple[int, float]:
    """Frames drawn over `seconds` of a 30 Hz clock while the process uses `busy` of a core."""
    drawn, ticks = 0, round(seconds / CLOCK_S)
    for tick in range(ticks):
        now = start + tick * CLOCK_S
        drawn += pacer.due(now, cpu=now * busy)
    return drawn, start + ticks * CLOCK_S


def test_frames_slow_down_while_the_process_is_busy_and_come_back_after() -> None:
    pacer = FramePacer()
    quiet, now = frames(pacer, 2.0, busy=0.2)
    assert quiet >= 28  # 15 a second (one per two ticks)
    assert pacer.interval == FASTEST_S
    busy, now = frames(pacer, 4.0, busy=0.95, start=now)
    assert pacer.interval == SLOWEST_S
    late, now = frames(pacer, 2.0, busy=0.95, start=now)
    assert late <= 11  # 5 a second once settled
    again, now = frames(pacer, 2.0, busy=0.1, start=now)
    assert pacer.interval == FASTEST_S and again > late


def test_a_moderately_busy_process_keeps_its_rate() -> None:
    pacer = FramePacer()
    drawn, _ = frames(pacer, 3.0, busy=0.4)  # between IDLE and BUSY: no change
    assert pacer.interval == FASTEST_S and drawn >= 44


async def test_an_answer_is_quiet_once_nothing_new_came_for_a_while() -> None:
    from time import monotonic

    from textual.app import App, ComposeResult

    from llmtui.widgets.message_view import MessageView

    class OneAnswer(App[None]):
        def compose(self) -> ComposeResult:
            yield MessageView("a/model")

    app = OneAnswer()
    async with app.run_test() as pilot:
        view = app.query_one(MessageView)
        view.start()
        assert not view.quiet(monotonic() + 1, 0.03)  # nothing waits to be shown
        view.feed("the last words")
        fed = monotonic()
        assert not view.quiet(fed, 0.03)  # still coming
        assert view.quiet(fed + 0.05, 0.03)  # went quiet: show it without waiting for a frame
        await view.tick()
        await pilot.pause()
        assert not view.quiet(fed + 1, 0.03)
        view.feed_reasoning("a thought")
        assert view.quiet(monotonic() + 1, 0.03)
