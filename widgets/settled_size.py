"""Containers that grow while an answer streams, without a second layout pass per frame.

After each layout pass Textual stores every widget's new size in its `virtual_size`, and that
reactive is declared with `layout=True`: each widget whose size just changed asks for another
layout, so one tick later the screen arranges and paints everything again, to the same result.
While an answer streams, its text, the containers around it and the scroll that holds them
grow every frame, so every frame cost two layouts and two full paints of the streaming panes.

Widgets with `SettledSize` first in their bases take their size from the layout that set it:
no second pass. Scrollbars still follow (the layout updates them directly) and so does an
anchored scroll (the layout itself keeps it at the bottom). Only for widgets whose size only
layout sets; a widget that sets its own `virtual_size` (a ScrollView) needs the layout it asks for.
`SettledStatic.update_text` goes one step further for text that streams in: no layout at all
while the text still fits the lines it has. The containers here draw no border or padding of
their own, so they paint as plain background (same_lines.BlankLines).
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from llmtui.widgets.same_lines import BlankLines


class SettledSize:
    """Mix in first: the size a layout gave the widget triggers no further layout or repaint."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class SettledVertical(SettledSize, BlankLines, Vertical):
    pass


class SettledHorizontal(SettledSize, BlankLines, Horizontal):
    pass


class SettledScroll(SettledSize, BlankLines, VerticalScroll):
    pass


class SettledStatic(SettledSize, Static):
    def update_text(self, text: Text) -> None:
        """Show new text, laying out again only if its height at this width changes: a streamed
        line that grows within its width repaints these lines, not the screen around them."""
        width, height = self.content_region.size
        self.update(text, layout=False)
        # (Textual's own get_content_height passes its styles the same way.)
        if width <= 0 or self.visual.get_height(self.styles, width) != height:  # type: ignore[arg-type]
            self.refresh(layout=True)
