"""Which lane the compare "faster" mark goes to, and by which measure."""

from __future__ import annotations

from llmtui.present.thinking import Pace, faster_lane


def test_plain_answers_compare_tokens_per_second() -> None:
    assert faster_lane([Pace(40.0, 3.0, False), Pace(90.0, 5.0, False)]) == (1, "tok/s")
    assert faster_lane([Pace(40.0, 3.0, False), Pace(40.0, 5.0, False)]) == (None, "")


def test_a_thinking_lane_switches_the_measure_to_total_time() -> None:
    # B streams 300 tok/s of thinking but finishes later: tok/s would crown the slower answer.
    assert faster_lane([Pace(60.0, 4.0, False), Pace(300.0, 20.0, True)]) == (0, "total time")
    assert faster_lane([Pace(75.0, 24.0, True), Pace(75.0, 12.0, True)]) == (1, "total time")
    assert faster_lane([Pace(75.0, None, True), Pace(75.0, 12.0, True)]) == (None, "")


def test_no_faster_mark_against_a_lane_with_no_tok_s_figure() -> None:
    # The tester's case: "⚡ faster (tok/s)" on a lane at 1 tok/s, the other lane had no figure.
    assert faster_lane([Pace(1.0, 4.0, False), Pace(None, 0.2, False)]) == (None, "")
    assert faster_lane([Pace(None, 0.2, False), Pace(1.0, 4.0, False)]) == (None, "")
