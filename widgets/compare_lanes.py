"""Compare with 2-4 models: one pane per model, each with its own scroll and its metrics pinned.

Each pane holds that model's side of every turn (the prompt, then its answer) and scrolls
on its own, so a long answer never pushes another model's figures off screen; the newest
answer's metrics line stays pinned under the pane. Layout follows the width: columns, a
2x2 grid for four, one pane at a time with a tab strip when narrow. The same calls as
Transcript (`add_turn`, `load`, `clear_turns`, `truncate_from`, `show_hint`), so the main
screen drives either.

A word diff (`show_diff`, made by the screen) covers two panes' newest answers until hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.message import Message
from textual.widgets import Static

from llmtui.sanitize import sanitize
from llmtui.widgets.settled_size import SettledScroll
from llmtui.widgets.transcript import FIRST_PAGE, StoredTurn, UserMessage

if TYPE_CHECKING:  # the answer views' modules load with the first lanes: the first frame has none
    from llmtui.widgets.message_view import MessageView
    from llmtui.widgets.metrics_bar import Metrics

MAX_LANES = 4


def layout_for(lanes: int, width: int) -> str:
    """'cols', 'grid' (2x2, four lanes) or 'tabs' (one pane shown), for this many columns.

    A pane needs ~28 columns to read; four fit side by side from 150, as a 2x2 grid from 72.
    """
    if lanes <= 2:
        return "cols" if width >= 50 else "tabs"
    if lanes == 3:
        return "cols" if width >= 84 else "tabs"
    if width >= 150:
        return "cols"
    return "grid" if width >= 72 else "tabs"


class LanePane(Vertical, can_focus=False):
    """One model's column."""

    DEFAULT_CSS = """
    LanePane {
        height: 1fr;
        width: 1fr;
        border: round $panel;
    }
    LanePane:focus-within {
        border: round $accent;
    }
    LanePane > .lane-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
        color: $secondary;
    }
    LanePane > VerticalScroll {
        height: 1fr;
        padding: 0 1;
    }
    LanePane > MetricsBar {
        height: auto;
        border-top: solid $panel;
    }
    LanePane .lane-diff {
        height: auto;
        padding: 0 1;
        border-left: outer $warning;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, title: str, index: int, note: str = "") -> None:
        super().__init__(id=f"lane-{index}")
        self.index = index
        self.title = title
        self.note = note
        """Said after the title, dimmed: how hard this lane's model thinks on the next send."""
        from llmtui.widgets.metrics_bar import MetricsBar

        self.views: list[MessageView] = []
        self.scroll = SettledScroll(classes="lane-scroll")
        self.metrics = MetricsBar(classes="lane-metrics")

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), classes="lane-title")
        yield self.scroll
        yield self.metrics

    def _heading(self) -> Text:
        """The title, then the note; when they do not fit on the line, the title is cut (…),
        never the note (at 80 columns `think ≤ 8k` lost its number)."""
        note = Text(f" · {self.note}", style="not bold") if self.note else Text("")
        title = Text(self.title)
        room = self.content_region.width - 2  # inside the pane's border, less the title's padding
        if room > 0 and title.cell_len + note.cell_len > room:
            title.truncate(max(room - note.cell_len, 2), overflow="ellipsis")
        return title.append_text(note)

    def on_resize(self) -> None:
        self.query_one(".lane-title", Static).update(self._heading())

    def set_title(self, title: str, note: str | None = None) -> None:
        self.title = title
        self.note = self.note if note is None else note
        if self.is_mounted:
            self.query_one(".lane-title", Static).update(self._heading())

    def pin(self, metrics: Metrics) -> None:
        self.metrics.show(metrics)

    def on_message_view_metrics_shown(self, event: MessageView.MetricsShown) -> None:
        if self.views and event.view is self.views[-1]:
            self.pin(event.metrics)


@dataclass
class LaneTurn:
    """What one turn mounted: the answer views, one per pane (the main screen streams into them)."""

    prompt: str
    views: list[MessageView] = field(default_factory=list)
    widgets: list[list[object]] = field(default_factory=list)


class CompareLanes(Container):
    """Panes side by side (or in a grid, or as tabs); the main screen's compare transcript."""

    DEFAULT_CSS = """
    CompareLanes {
        height: 1fr;
        layout: vertical;
    }
    CompareLanes > #lane-tabs {
        height: 1;
        padding: 0 1;
        display: none;
    }
    CompareLanes.-tabs > #lane-tabs {
        display: block;
    }
    CompareLanes > #lane-area {
        height: 1fr;
        layout: horizontal;
    }
    CompareLanes.-grid > #lane-area {
        layout: grid;
        grid-size: 2 2;
    }
    CompareLanes.-tabs LanePane {
        display: none;
    }
    CompareLanes.-tabs LanePane.-active {
        display: block;
    }
    """

    class ActiveChanged(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.panes: list[LanePane] = []
        self.turns: list[LaneTurn] = []
        self.active = 0
        self.mode = "cols"
        self.diffing: tuple[int, int] | None = None
        self.notes: list[str] = []
        """Each pane's note by index (LanePane.note), kept when the panes are made afresh."""

    def compose(self) -> ComposeResult:
        yield Static("", id="lane-tabs")
        yield Container(id="lane-area")

    # ------------------------------------------------------------ lanes

    async def set_lanes(self, titles: Sequence[str]) -> None:
        """One pane per title; every turn shown so far is cleared."""
        if not 1 <= len(titles) <= MAX_LANES:
            raise ValueError(f"1 to {MAX_LANES} lanes, not {len(titles)}")
        area = self.query_one("#lane-area", Container)
        await area.remove_children()
        self.panes = [LanePane(title, i, self.notes[i] if i < len(self.notes) else "")
                      for i, title in enumerate(titles)]
        self.turns = []
        self.diffing = None
        await area.mount_all(self.panes)
        self.active = 0
        self._relayout()

    def set_notes(self, notes: Sequence[str]) -> None:
        self.notes = list(notes)
        for pane in self.panes:
            pane.set_title(pane.title, self.notes[pane.index] if pane.index < len(self.notes) else "")

    def set_titles(self, titles: Sequence[str]) -> None:
        for pane, title in zip(self.panes, titles, strict=False):
            pane.set_title(title)
        self._show_tabs()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        self.mode = layout_for(len(self.panes), self.size.width or self.app.size.width)
        for name in ("cols", "grid", "tabs"):
            self.set_class(self.mode == name, f"-{name}")
        for pane in self.panes:
            pane.set_class(pane.index == self.active, "-active")
        self._show_tabs()

    def _show_tabs(self) -> None:
        strip = Text()
        for pane in self.panes:
            label = f" {pane.index + 1} {sanitize(pane.title)} "
            strip.append(label, style="bold reverse" if pane.index == self.active else "dim")
            strip.append(" ")
        if self.is_mounted:
            self.query_one("#lane-tabs", Static).update(strip)

    def focus_lane(self, index: int) -> None:
        """Make a pane the active one (the one shown, when narrow) and focus its scroll."""
        if not self.panes:
            return
        self.active = index % len(self.panes)
        self._relayout()
        self.panes[self.active].scroll.focus()
        self.post_message(self.ActiveChanged(self.active))

    def next_lane(self) -> None:
        self.focus_lane(self.active + 1)

    # ------------------------------------------------------------ turns (Transcript's calls)

    async def add_turn(self, prompt: str, titles: Sequence[str], *, note: str = "") -> LaneTurn:
        from llmtui.widgets.message_view import MessageView
        from llmtui.widgets.metrics_bar import Metrics

        if len(titles) != len(self.panes) or any(p.title != t for p, t in zip(self.panes, titles,
                                                                                  strict=True)):
            if len(titles) != len(self.panes):
                await self.set_lanes(titles)
            else:
                self.set_titles(titles)
        turn = LaneTurn(prompt)
        for pane, title in zip(self.panes, titles, strict=True):
            view = MessageView(title)
            widgets: list[object] = [self._prompt_widget(prompt, note), view]
            await pane.scroll.mount_all(widgets)  # type: ignore[arg-type]
            pane.scroll.anchor()
            pane.views.append(view)
            pane.pin(Metrics(title))
            turn.views.append(view)
            turn.widgets.append(widgets)
        self.turns.append(turn)
        return turn

    @staticmethod
    def _prompt_widget(prompt: str, note: str) -> UserMessage:
        label = Text("you", style="bold")
        if note:
            label.append(f"  ({sanitize(note)})", style="italic")
        label.append("\n")
        label.append(sanitize(prompt))
        return UserMessage(label, classes="-branch" if note else "")

    async def show_hint(self, text: str) -> None:
        if self.panes:
            await self.panes[0].scroll.mount(Static(Text(text), classes="hint"))

    async def clear_turns(self) -> None:
        from llmtui.widgets.metrics_bar import Metrics

        self.turns = []
        self.diffing = None
        for pane in self.panes:
            pane.views = []
            await pane.scroll.remove_children()
            pane.pin(Metrics(pane.title))

    async def truncate_from(self, index: int) -> None:
        """Remove turn number `index` and every later one."""
        gone, self.turns = self.turns[index:], self.turns[:index]
        for turn in gone:
            for lane_widgets in turn.widgets:
                for widget in lane_widgets:
                    await widget.remove()  # type: ignore[attr-defined]
        for pane in self.panes:
            pane.views = [v for v in pane.views if v.is_attached]

    async def load(self, turns: Sequence[StoredTurn]) -> None:
        """Show stored turns: the newest FIRST_PAGE (export shows all), each answer in the
        pane of its model (or, as many answers as panes, in order: a blind round's sides)."""
        from llmtui.widgets.message_view import MessageView

        await self.clear_turns()
        shown = turns[-FIRST_PAGE:]
        if not self.panes and shown:
            await self.set_lanes([a[0] for a in shown[0].answers])
        for stored in shown:
            turn = LaneTurn(stored.prompt)
            by_title = {a[0]: a for a in stored.answers}
            for i, pane in enumerate(self.panes):
                answer = by_title.get(pane.title)
                if answer is None and len(stored.answers) == len(self.panes):
                    answer = stored.answers[i]
                widgets: list[object] = [self._prompt_widget(stored.prompt,
                                                             getattr(stored, "note", ""))]
                if answer is None:
                    widgets.append(Static(Text("(not asked this turn)"), classes="hint"))
                else:
                    title, text, metrics, notice = answer
                    view = MessageView(title, text=text, metrics=metrics, notice=notice,
                                       failed=metrics.state == "error")
                    widgets.append(view)
                    pane.views.append(view)
                    pane.pin(metrics)
                    turn.views.append(view)
                await pane.scroll.mount_all(widgets)  # type: ignore[arg-type]
                turn.widgets.append(widgets)
            self.turns.append(turn)
        hidden = len(turns) - len(shown)
        if hidden:
            await self.show_hint(f"{hidden} earlier turns are not shown here (export shows all).")
        for pane in self.panes:
            pane.scroll.scroll_end(animate=False)
            pane.scroll.anchor()

    # ------------------------------------------------------------ word diff

    def diff_pair(self) -> tuple[int, int]:
        """The two panes a diff compares: the active one and the next."""
        first = self.active if self.active < len(self.panes) else 0
        return first, (first + 1) % len(self.panes)

    async def hide_diff(self) -> None:
        for pane in self.panes:
            await pane.query(".lane-diff").remove()
            for view in pane.views[-1:]:
                view.display = True
        self.diffing = None

    async def show_diff(self, pair: tuple[int, int], left: Text, right: Text) -> None:
        """Cover the two panes' newest answers with their sides of a word diff."""
        await self.hide_diff()
        for index, body in zip(pair, (left, right), strict=True):
            pane = self.panes[index]
            for view in pane.views[-1:]:
                view.display = False
            await pane.scroll.mount(Static(body, classes="lane-diff"))
            pane.scroll.scroll_end(animate=False)
        self.diffing = pair
