"""PageUp / PageDown scroll the answers while the prompt box has the focus.

The prompt box is where the focus stays in a chat, and its own PageUp moves its cursor a page
in a box of a few lines: a long answer could be read back only with the mouse wheel. A compare
scrolls every lane by a page together, so the answers stay side by side. Elsewhere (the catalog,
a lane with the focus) the key does what that widget does with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.binding import Binding

from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from llmtui.screens.chat_views import ChatViews

# Priority: the prompt box binds PageUp/PageDown itself (and would take them first).
SCROLL_BINDINGS = [
    Binding("pageup", "scroll_answers(-1)", "Scroll up", id="chat.page_up", show=False, priority=True,
            tooltip="Scroll the answers up a page (every lane in a compare)"),
    Binding("pagedown", "scroll_answers(1)", "Scroll down", id="chat.page_down", show=False,
            priority=True, tooltip="Scroll the answers down a page"),
]


class AnswerScroll:
    """Mix in before the main screen's classes (its key table holds SCROLL_BINDINGS)."""

    def action_scroll_answers(self, pages: int) -> None:
        screen: ChatViews = self  # type: ignore[assignment]
        if not isinstance(screen.focused, PromptInput):
            raise SkipAction()
        where = screen.transcript
        for scroll in [p.scroll for p in where.panes] if isinstance(where, CompareLanes) else [where]:
            if pages > 0:
                scroll.scroll_page_down(animate=False)
            else:
                scroll.scroll_page_up(animate=False)
