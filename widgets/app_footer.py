"""The main screen's footer: its keys in the order people reach for them, Help and Quit last,
and (when the terminal is narrow) the least-needed ones dropped so Help and Quit stay visible.

Textual's footer lists keys in binding-chain order, so a key the prompt box also binds (ctrl+k,
ctrl+y, f6, f7) came first wherever its owner sat, and the vote keys were split up. Every key
stays on the help page (F1) and in the palette (ctrl+p) whatever this shows.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ORDER = ("vote('a')", "vote('b')", "vote('tie')", "vote('both_bad')", "cancel", "new_chat",
         "compare", "rerun", "copy_answer", "history", "keys")
"""Actions first to last; others follow these; then LAST."""
LAST = ("help", "quit")
DROP_FIRST = ("keys", "copy_answer", "history", "rerun", "compare", "new_chat", "cancel")
"""Left out, in this order, while the footer is too narrow (even packed tight)."""
PALETTE_WIDTH = 13
"""The `^p palette` item Textual docks at the right, with its border."""


def _rank(item: Widget) -> int:
    action = getattr(item, "action", "")
    if action in LAST:
        return 1000 + LAST.index(action)
    return ORDER.index(action) if action in ORDER else len(ORDER)


def _width(item: Widget, compact: bool = False) -> int:
    """The item's cells: ` key description ` (FooterKey padding), or `key description` and a gutter."""
    if isinstance(item, FooterKey):
        return len(item.key_display) + len(item.description) + (2 if compact else 3)
    return 0


class AppFooter(Footer):
    """Footer with llmtui's order and a narrow-terminal cut."""

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        keys = [w for w in items if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        rest = [w for w in items if w not in keys]
        keys.sort(key=_rank)  # stable: equal ranks keep Textual's order
        room = (self.app.size.width or 200) - (PALETTE_WIDTH if rest else 0)
        self.compact = sum(_width(w) for w in keys) > room  # first pack them tight
        for action in DROP_FIRST:
            if sum(_width(w, self.compact) for w in keys) <= room:
                break
            keys = [w for w in keys if getattr(w, "action", "") != action]
        yield from keys
        yield from rest

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != getattr(self, "_laid_out_for", None):
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)
