"""The app `llmtui vote RUN_ID` runs: the vote screen alone, in the user's theme."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from llmtui import themes
from llmtui.core.config import Config
from llmtui.core.store import CompareRun, Store
from llmtui.screens.worker_failures import ShowsWorkerFailures


class VoteApp(ShowsWorkerFailures, App[int]):
    TITLE = "llmtui vote"
    CSS_PATH = [Path(themes.__file__).with_name("base.tcss")]

    def __init__(self, config: Config, store: Store, run: CompareRun) -> None:
        super().__init__()
        self.store = store
        self.compare_run = run
        themes.install(self, config.theme)

    def on_mount(self) -> None:
        from llmtui.screens.vote import VoteScreen

        self.push_screen(VoteScreen(self.store, self.compare_run), lambda _: self.exit(0))
