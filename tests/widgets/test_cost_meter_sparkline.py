"""The speed sparkline: hidden for a single answer, one column per answer after that."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Sparkline

from llmtui.widgets.cost_meter import CostMeter, MeterFigures


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield CostMeter()


async def test_one_answer_shows_a_figure_not_a_wall() -> None:
    app = Host()
    async with app.run_test(size=(40, 30)) as pilot:
        meter = app.query_one(CostMeter)
        meter.show(MeterFigures(speeds=(519.0,)))
        await pilot.pause()
        spark = app.query_one(Sparkline)
        assert not spark.display
        assert "last 519 tok/s" in str(meter.query_one("#speed-note").render())
        meter.show(MeterFigures(speeds=(519.0, 150.0, 300.0)))
        await pilot.pause()
        assert spark.display and spark.size.width == 3
