"""The conversation: prompts and answers, one or two answer columns per turn.

Only the latest `FIRST_PAGE` turns are mounted when a long conversation is opened (a
screenful and then some: each mounted answer costs a few milliseconds), the rest stay
as data until the user asks for older turns, `PAGE` at a time. Of those, the newest
`FIRST_SHOWN` are mounted before the conversation's first frame and the others just
after it, above them (the view stays at the end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from llmtui.sanitize import sanitize
from llmtui.widgets.same_lines import BlankLines
from llmtui.widgets.settled_size import SettledHorizontal, SettledSize
from llmtui.widgets.thinking_mode import saved_mode

if TYPE_CHECKING:  # the answer views' modules load with the first turn: the first frame has none
    from llmtui.widgets.message_view import MessageView
    from llmtui.widgets.metrics_bar import Metrics

FIRST_PAGE = 10
FIRST_SHOWN = 3
"""Mounting and measuring all ten turns was ~70 ms of CPU before the last message showed."""
PAGE = 40


@dataclass(frozen=True, slots=True)
class StoredTurn:
    """A turn read from the store: the prompt and one answer per lane."""

    prompt: str
    answers: tuple[tuple[str, str, Metrics, str], ...]
    """(title, text, metrics, notice) per lane."""
    note: str = ""
    """Beside the prompt: how it replaced an earlier one (an edit, a rerun), if it did."""
    reasoning: tuple[str, ...] = ()
    """Each lane's stored thinking ('' for none), shown folded above its answer."""
    thinking_mode: str = "collapse"


class UserMessage(Static):
    DEFAULT_CSS = """
    UserMessage {
        height: auto;
        padding: 0 1;
        margin: 1 0 1 0;
        background: $primary 12%;
        border-left: outer $primary;
    }
    UserMessage.-branch {
        border-left: outer $accent;
    }
    """


class Turn(SettledSize, BlankLines, Vertical):
    """One prompt and its answers side by side."""

    DEFAULT_CSS = """
    Turn {
        height: auto;
    }
    Turn > Horizontal {
        height: auto;
    }
    Turn > Horizontal > MessageView {
        width: 1fr;
    }
    Turn.-compare > Horizontal > MessageView {
        margin-right: 1;
    }
    """

    def __init__(self, prompt: str, titles: Sequence[str], *, note: str = "",
                 views: Sequence[MessageView] | None = None) -> None:
        from llmtui.widgets.message_view import MessageView

        super().__init__(classes="-compare" if len(titles) > 1 else "")
        self.prompt = prompt
        self.note = note
        self.views = list(views) if views is not None else [MessageView(title) for title in titles]

    def compose(self) -> ComposeResult:
        label = Text("you", style="bold")
        if self.note:
            label.append(f"  ({sanitize(self.note)})", style="italic")
        label.append("\n")
        label.append(sanitize(self.prompt))
        yield UserMessage(label, classes="-branch" if self.note else "")
        with SettledHorizontal():
            yield from self.views


class Transcript(SettledSize, BlankLines, VerticalScroll):
    """Scrolls turns; follows new text while the user is at the bottom."""

    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
        padding: 0 1;
        background: $background;
    }
    Transcript > #older {
        width: 100%;
        margin: 1 0 0 0;
    }
    Transcript > .hint {
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._older: Sequence[StoredTurn] = []
        """Not mounted: the first page's rest until just after its frame, then older turns."""
        self._pending = 0
        """How many of `_older`'s newest belong to the first page (mounted after its frame)."""

    @property
    def turns(self) -> list[Turn]:
        return list(self.query_children(Turn))

    async def add_turn(self, prompt: str, titles: Sequence[str], *, note: str = "") -> Turn:
        turn = Turn(prompt, titles, note=note)
        await self.mount(turn)
        self.anchor()
        return turn

    async def show_hint(self, text: str) -> None:
        await self.mount(Static(Text(text), classes="hint"))

    async def clear_turns(self) -> None:
        self._older, self._pending = [], 0
        await self.remove_children()

    async def truncate_from(self, index: int) -> None:
        """Remove turn number `index` (0 = the first, loaded or not) and every later one."""
        await self._mount_pending()
        if index < len(self._older):
            await self.load(self._older[:index])  # the turns before it, paged as on opening
            return
        children = list(self.children)
        mounted = self.turns[index - len(self._older):]
        if mounted:
            await self.remove_children(children[children.index(mounted[0]):])

    async def load(self, turns: Sequence[StoredTurn]) -> None:
        """Show a stored conversation: the newest FIRST_PAGE turns now, older ones on demand."""
        await self.clear_turns()
        hidden = max(0, len(turns) - FIRST_PAGE)
        if hidden:
            await self.mount(Button(f"Load {min(PAGE, hidden)} older turns ({hidden} hidden)",
                                    id="older"))
        self._older = turns[:-FIRST_SHOWN]  # views made when shown (present.turns.StoredViews)
        self._pending = len(self._older) - hidden
        await self._mount_stored(turns[-FIRST_SHOWN:])
        self.scroll_end(animate=False)
        self.anchor()
        if self._pending:
            self.call_after_refresh(self._mount_pending)

    async def _mount_pending(self) -> None:
        """The first page's other turns, above the newest, once those have been shown."""
        if self._pending:
            batch, self._older = self._older[-self._pending:], self._older[:-self._pending]
            self._pending = 0
            await self._mount_stored(batch, above=True)

    async def _mount_stored(self, turns: Sequence[StoredTurn], *, above: bool = False) -> None:
        from llmtui.widgets.message_view import MessageView

        widgets = [
            Turn(stored.prompt, [a[0] for a in stored.answers], note=stored.note, views=[
                MessageView(title, text=text, metrics=metrics, notice=notice,
                            failed=metrics.state == "error",
                            reasoning=stored.reasoning[i] if i < len(stored.reasoning) else "",
                            reasoning_mode=saved_mode({"thinking": stored.thinking_mode}))
                for i, (title, text, metrics, notice) in enumerate(stored.answers)
            ])
            for stored in turns
        ]
        with self.app.batch_update():
            if not above:
                await self.mount_all(widgets)
            elif older := list(self.query_children("#older")):
                await self.mount_all(widgets, after=older[0])
            else:
                await self.mount_all(widgets, before=0)

    @on(Button.Pressed, "#older")
    async def load_older(self, event: Button.Pressed) -> None:
        event.stop()
        await self._mount_pending()
        batch, self._older = self._older[-PAGE:], self._older[:-PAGE]
        button = event.button
        await self._mount_stored(batch, above=True)
        if self._older:
            button.label = f"Load {min(PAGE, len(self._older))} older turns ({len(self._older)} hidden)"
        else:
            await button.remove()
