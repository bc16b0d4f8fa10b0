"""Judge a stored compare run blind (`llmtui vote RUN_ID`): pair by pair, sides drawn each time.

Until the vote the screen shows the prompt, the two answers as A and B, and only what the
user judges (tokens, TTFT, tok/s). After it, the reveal; then the next pair, drawn afresh.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.markdown import Markdown
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from llmtui.core.store import Choice
from llmtui.sanitize import sanitize
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.judging import Pair, Round
    from llmtui.core.store import CompareRun, Store


class VoteScreen(ShowsWorkerFailures, Screen[None]):
    """One blind pair at a time from a stored run."""

    CSS_PATH = "vote.tcss"
    BINDINGS = [
        Binding("a", "vote('a')", "A better", id="judge.a"),
        Binding("b", "vote('b')", "B better", id="judge.b"),
        Binding("t", "vote('tie')", "Tie", id="judge.tie"),
        Binding("x", "vote('both_bad')", "Both bad", id="judge.both_bad"),
        Binding("d", "diff", "Diff", id="judge.diff", tooltip="Word diff of A and B"),
        Binding("n,enter", "next", "Next", id="judge.next"),
        Binding("s", "skip", "Skip", id="judge.skip", tooltip="Judge this pair another time"),
        Binding("escape", "close", "Close", id="judge.close"),
    ]

    def __init__(self, store: Store, run: CompareRun) -> None:
        super().__init__()
        self.store = store
        self.run = run
        self.pairs: list[Pair] = []
        self.total = 0
        self.judged_before = 0
        self.shown: Round | None = None
        self.voted = False
        self.diffing = False

    def compose(self) -> ComposeResult:
        yield Static("", id="vote-title")
        with VerticalScroll(id="vote-prompt"):
            yield Static("", id="vote-prompt-text")
        with Horizontal(id="vote-sides"):
            for side in ("a", "b"):
                with Vertical(classes="vote-side", id=f"side-{side}"):
                    yield Static(side.upper(), classes="side-head")
                    with VerticalScroll(classes="side-scroll", id=f"scroll-{side}"):
                        yield Static("", classes="side-text", id=f"text-{side}")
                    yield Static("", classes="side-metrics", id=f"metrics-{side}")
        yield Static("", id="vote-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(group="vote", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from llmtui.core.judging import judged_pairs, open_pairs

        self.pairs = await asyncio.to_thread(open_pairs, self.store, self.run)
        self.judged_before = await asyncio.to_thread(judged_pairs, self.store, self.run)
        self.total = len(self.pairs)
        self.show_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vote":
            return self.shown is not None and not self.voted
        if action == "next":
            return self.voted
        if action in ("skip", "diff"):
            return self.shown is not None
        return True

    def show_next(self) -> None:
        self.voted = False
        self.diffing = False
        if not self.pairs:
            self.shown = None
            if self.total:
                done = "Every pair of this run is judged."
            elif self.judged_before:
                done = (f"This run is already judged: all {self.judged_before} of its pairs "
                        "have a vote.")
            else:
                done = "Nothing to judge in this run: it needs two finished answers to one prompt."
            self.query_one("#vote-title", Static).update(f"Blind vote · run {self.run.id}")
            self.query_one("#vote-status", Static).update(
                f"{done} Esc closes; `llmtui leaderboard` shows the ratings.")
            self.query_one("#vote-sides").display = False
            self.refresh_bindings()
            return
        self.shown = self.pairs.pop(0).draw()
        number = self.total - len(self.pairs)
        item = self.shown.item
        repeat = f" · repeat {item.repeat}" if self.run.repeats > 1 else ""
        self.query_one("#vote-title", Static).update(
            f"Blind vote · run {self.run.id} · pair {number} of {self.total} · "
            f"prompt {sanitize(item.item)}{repeat}")
        self.query_one("#vote-prompt-text", Static).update(sanitize(item.prompt))
        self.query_one("#vote-status", Static).update(
            "Which answer is better? a: A · b: B · t: tie · x: both bad · d: word diff · "
            "s: skip · tab: next side")
        self._draw_sides()
        for side in ("a", "b"):
            self.query_one(f"#scroll-{side}", VerticalScroll).scroll_home(animate=False)
        self.query_one("#scroll-a", VerticalScroll).focus()
        self.refresh_bindings()

    def _draw_sides(self) -> None:
        from llmtui.present.arena import diff_text, side_line

        shown = self.shown
        if shown is None:
            return
        diff = None
        if self.diffing:
            from llmtui.core.word_diff import word_diff

            diff = word_diff(shown.a.content, shown.b.content)
        for side, message, runs in (("a", shown.a, diff.left if diff else None),
                                    ("b", shown.b, diff.right if diff else None)):
            body = self.query_one(f"#text-{side}", Static)
            body.update(diff_text(runs) if runs is not None else
                        Markdown(sanitize(message.content) or "*(empty answer)*"))
            self.query_one(f"#metrics-{side}", Static).update(
                side_line(side.upper(), message, revealed=self.voted))
        if self.diffing and diff is None:
            self.notify("These answers are too long to diff.", severity="warning")

    async def action_vote(self, choice: str) -> None:
        from llmtui.core.judging import cast
        from llmtui.present.arena import verdict

        shown = self.shown
        if shown is None or self.voted:
            return
        self.voted = True
        vote = await asyncio.to_thread(cast, self.store, self.run, shown, Choice(choice))
        self._draw_sides()
        left = f"{len(self.pairs)} more" if self.pairs else "that was the last pair"
        said = verdict(vote) if vote is not None else (
            "Another session judged this pair first (llmtui vote in another window): its "
            "vote stands and yours was not stored.")
        self.query_one("#vote-status", Static).update(
            f"{said} Enter: next pair ({left}) · Esc: close")
        self.refresh_bindings()

    def action_next(self) -> None:
        if self.voted:
            self.show_next()

    def action_skip(self) -> None:
        self.show_next()

    def action_diff(self) -> None:
        self.diffing = not self.diffing
        self._draw_sides()

    def action_close(self) -> None:
        self.dismiss(None)
