"""Repeat runs from the TUI: the last prompt N times on each model, spread per model, saved as a run."""

from __future__ import annotations

from textual.widgets import DataTable

from llmtui.core.batch import Settings
from llmtui.core.config import load_config
from llmtui.core.runtime import Runtime
from llmtui.screens.runs import RunsScreen
from tests.screens.harness import ScreenApp, screen_text

MODELS = ["demo/simulated-fast", "demo/simulated"]


async def test_three_runs_fill_the_table_and_save_a_run() -> None:
    runtime = Runtime(load_config())
    app = ScreenApp(lambda: RunsScreen(runtime, MODELS, "Say hi", 3, Settings(max_tokens=60)))
    async with app.run_test(size=(140, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(DataTable)
        for ref in MODELS:
            row = [str(c) for c in table.get_row(ref)]
            assert row[:3] == [ref, "3", "0"]
            assert row[3] != "–" and row[5] != "–"  # TTFT p50 and tok/s p50 measured
        assert screen.run_id is not None
        assert f"Saved as compare run {screen.run_id}" in screen_text(app)
        run = runtime.store.load_run(screen.run_id)
        assert run is not None and run.repeats == 3 and list(run.models) == MODELS
        assert [i.repeat for i in runtime.store.run_items(run.id)] == [1, 2, 3]
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    await runtime.aclose()


async def test_a_batch_over_the_budget_sends_nothing(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config('[prices."groq/m"]\ninput = 1.0\noutput = 2.0\n[budget]\ndaily_usd = 0.001\n'
                 '[providers.groq]\nbase_url = "http://127.0.0.1:9/v1"\n')
    runtime = Runtime(load_config())
    app = ScreenApp(lambda: RunsScreen(runtime, ["groq/m"], "Say hi", 5, Settings(max_tokens=1000)))
    async with app.run_test(size=(140, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunsScreen) and screen.run_id is None
        assert "Not sent:" in screen_text(app) and "daily spending limit" in screen_text(app)
    await runtime.aclose()
