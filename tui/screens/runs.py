"""Repeat the last prompt N times on every model in play: TTFT, tok/s and cost spread per model.

A single TTFT from a routed backend is noise; this sends the prompt N times (rounds one
after another, models at once; core.batch, as `llmtui compare --runs N`), checks spending
limits for the whole batch first, and shows p50 and p95 per model as answers arrive. The
batch is saved as its own compare run (not sent into the chat), so `llmtui vote RUN_ID` can
judge it blind later. It names the models, so the main screen offers it outside blind mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from llmtui.sanitize import sanitize
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.batch import BatchResult, Settings
    from llmtui.core.runtime import Runtime

COLUMNS = ("Answers", "Errors", "TTFT p50", "TTFT p95", "tok/s p50", "tok/s p95", "Mean cost")


class RunsScreen(ShowsWorkerFailures, Screen[None]):
    CSS_PATH = "runs.tcss"
    BINDINGS = [Binding("escape", "close", "Stop / close", id="runs.close",
                        tooltip="Stop the runs (answers so far are kept) and go back")]

    def __init__(self, runtime: Runtime, models: Sequence[str], prompt: str, runs: int,
                 settings: Settings) -> None:
        super().__init__()
        self.runtime = runtime
        self.models = list(models)
        self.prompt = prompt
        self.runs = runs
        self.settings = settings
        self.results: list[BatchResult] = []
        self.run_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.runs} runs of the last prompt on {len(self.models)} "
                          f"model{'s' if len(self.models) > 1 else ''}"), id="runs-title")
        yield Static(Text(sanitize(" ".join(self.prompt.split()))[:300]), id="runs-prompt")
        yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="runs-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Model", key="model")
        for label in COLUMNS:
            table.add_column(label, key=label)
        for ref in self.models:
            table.add_row(sanitize(ref), *(Text("–", justify="right") for _ in COLUMNS), key=ref)
        self.start()

    def _status(self, text: str) -> None:
        self.query_one("#runs-status", Static).update(Text(text))

    @work(group="runs", exclusive=True, exit_on_error=False)
    async def start(self) -> None:
        from llmtui.core import batch
        from llmtui.core.budget import Refused
        from llmtui.core.prompt_set import PromptItem

        items = [PromptItem("1", self.prompt)]
        self._status("Checking spending limits for the whole batch…")
        try:
            reservations = await asyncio.to_thread(batch.prepare, self.runtime, self.models,
                                                   items, self.runs, self.settings)
        except Refused as refused:
            self._status(f"Not sent: {refused.error.message}")
            return
        run = await asyncio.to_thread(self.runtime.store.new_run, self.models, repeats=self.runs,
                                      system=self.settings.system,
                                      title=" ".join(self.prompt.split())[:80])
        self.run_id = run.id
        total = self.runs * len(self.models)
        self._status(f"0 of {total} answers…")
        async for result in batch.run_batch(self.runtime, run, items, self.settings,
                                            reservations):
            self.results.append(result)
            self._show()
            self._status(f"{len(self.results)} of {total} answers…")
        failed = sum(r.failed for r in self.results)
        self._status(f"Done: {total} answers, {failed} failed. Saved as compare run {run.id}: "
                     f"`llmtui vote {run.id}` judges it blind. Esc: back.")

    def _show(self) -> None:
        from llmtui.core.batch import summarize
        from llmtui.core.pricing.cost import format_usd

        def cell(value: float | None, fmt: str) -> Text:
            return Text("–" if value is None else format(value, fmt), justify="right")

        table = self.query_one(DataTable)
        for s in summarize(self.models, self.results):
            cells = [Text(str(s.results), justify="right"), Text(str(s.errors), justify="right"),
                     cell(s.ttft_p50, ".2f"), cell(s.ttft_p95, ".2f"), cell(s.tps_p50, ".0f"),
                     cell(s.tps_p95, ".0f"),
                     Text("–" if s.mean_cost is None else format_usd(s.mean_cost), justify="right")]
            for label, value in zip(COLUMNS, cells, strict=True):
                table.update_cell(s.model, label, value)

    def action_close(self) -> None:
        self.workers.cancel_group(self, "runs")
        self.dismiss(None)
