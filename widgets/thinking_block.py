"""A model's thinking, above its answer: live and dim while it thinks, one line after.

Three modes, cycled by a key and saved in settings:
  show      the whole thought stays open under its header
  collapse  open while the model thinks, folded to its header once the answer starts
  hide      never the text: only "thinking… 42 s" while it lasts

While streaming only the last `LIVE_CHARS` characters are drawn (a window on the thought
as it grows), so a frame costs the same after 10,000 thought tokens as after ten. The full
text is laid out once, when the user opens a finished thought (beyond THOUGHT_MAX, its end).
"""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from llmtui.sanitize import StreamSanitizer, sanitize
from llmtui.widgets.growing_text import GrowingText
from llmtui.widgets.settled_size import SettledSize, SettledStatic
from llmtui.widgets.stream_tail import end_text
from llmtui.widgets.thinking_mode import Mode

LIVE_CHARS = 480
LIVE_LINES = 6  # the live window's height in lines (the block allows 8: the wrap may run over)
THOUGHT_MAX = 256_000
"""A finished thought longer than this shows its last THOUGHT_END characters, under a note."""
THOUGHT_END = 32_000


@dataclass(frozen=True, slots=True)
class ThoughtFigures:
    """What the header says about a thought (from the answer's metrics)."""

    thinking_s: float | None = None
    tokens: int | None = None
    estimated: bool = True
    hidden_by_provider: bool = False
    masked: bool = False
    """Timings as dashes (deterministic snapshots)."""
    blind: bool = False
    """A blind round before its vote: no redaction note (only Claude redacts: it names the side)."""


def header_text(*, live: bool, seconds: float | None, figures: ThoughtFigures, open_: bool,
                redacted: bool) -> Text:
    """`▾ thinking… 12 s` while it thinks; `▸ thought for 20.6 s · ~1,500 tok` after."""
    text = Text(style="dim")
    secs = "–" if figures.masked or seconds is None else (
        f"{seconds:.0f} s" if live else f"{seconds:.1f} s")
    if figures.hidden_by_provider:
        text.append("◌ ")
        if live:
            text.append(f"thinking (hidden by provider)… {secs}")
        else:
            text.append("thought hidden by provider")
    else:
        text.append("▾ " if open_ else "▸ ")
        text.append(f"thinking… {secs}" if live else f"thought for {secs}")
    if figures.tokens:
        tilde = "~" if figures.estimated else ""
        text.append(f" · {tilde}{figures.tokens:,} tok")
    if redacted and not figures.blind:
        text.append(" · part redacted by the provider")
    return text


class ThinkingBlock(SettledSize, Vertical):
    """The header line and (when open) the thought's text."""

    DEFAULT_CSS = """
    ThinkingBlock {
        height: auto;
        display: none;
        margin: 0 0 1 0;
    }
    ThinkingBlock.-present {
        display: block;
    }
    ThinkingBlock > .header {
        height: 1;
        color: $text-muted;
    }
    ThinkingBlock > .thought {
        height: auto;
        max-height: 8;
        color: $text-muted;
        text-style: italic;
        padding: 0 0 0 2;
        border-left: vkey $secondary 30%;
    }
    ThinkingBlock.-finished > .thought {
        max-height: 100%;
    }
    ThinkingBlock.-closed > .thought {
        display: none;
    }
    """

    def __init__(self, *, text: str = "", mode: Mode = "collapse", figures: ThoughtFigures | None = None,
                 redacted: bool = False) -> None:
        super().__init__()
        self.mode: Mode = mode
        self._thought = GrowingText(sanitize(text))
        self._shown = StreamSanitizer()  # cleans the stream as if it came whole
        self.figures = figures or ThoughtFigures()
        self.redacted = redacted
        self._parts: list[str] = []
        self._started_at: float | None = None
        self._live = False
        self._finished = bool(text) or self.figures.hidden_by_provider
        self._dirty = True

    @property
    def full_text(self) -> str:
        """The thought so far (joined when read: streaming only appends)."""
        return str(self._thought)

    def compose(self) -> ComposeResult:
        yield Static(classes="header")
        yield SettledStatic(classes="thought")

    def on_mount(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        if self._live:
            self.refresh_view()  # the live window is sized to the width

    # ------------------------------------------------------------ streaming

    def feed(self, text: str, *, redacted: bool = False) -> None:
        """A piece of thought arrived (cheap: once per token)."""
        if self._started_at is None:
            self._started_at = monotonic()
            self._live = True
        if text:
            self._parts.append(text)
        self.redacted = self.redacted or redacted
        self._dirty = True

    def waiting(self, hidden_by_provider: bool) -> None:
        """No token yet from a model that thinks out of sight: show the live timer anyway."""
        if hidden_by_provider and not self.figures.hidden_by_provider:
            self.figures = ThoughtFigures(hidden_by_provider=True, masked=self.figures.masked,
                                          blind=self.figures.blind)
            self._started_at = self._started_at or monotonic()
            self._live = True
            self._dirty = True

    def end_thinking(self, figures: ThoughtFigures | None = None) -> None:
        """The answer started (or the stream ended): fold the thought in collapse mode."""
        if figures is not None:
            self.figures = figures
        if self._live or figures is not None or self._parts:
            self._live = False
            self._finished = True
            self.refresh_view()  # the stream may end before another frame ticks

    def set_figures(self, figures: ThoughtFigures) -> None:
        if figures != self.figures:
            self.figures = figures
            self._dirty = True
            if not self._live:
                self.refresh_view()  # final figures arrive after the last frame

    def set_blind(self, blind: bool) -> None:
        """From the start of a blind round's stream (before any figures): hide what names a side."""
        self.set_figures(ThoughtFigures(blind=blind, masked=self.figures.masked))

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._dirty = True
        self.refresh_view()

    @property
    def unshown(self) -> bool:
        """Whether thought arrived that is not shown yet."""
        return bool(self._parts)

    @property
    def present(self) -> bool:
        return bool(self._thought or self._parts or self.redacted or self.figures.hidden_by_provider)

    @property
    def open(self) -> bool:
        if self.mode == "hide":
            return False
        return self.mode == "show" or self._live

    def tick(self) -> None:
        """Redraw if something changed (and every frame while the live timer runs)."""
        if self._dirty or self._live:
            self.refresh_view()

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        self._dirty = False
        new = self._shown.feed("".join(self._parts)) if self._parts else ""
        self._parts.clear()
        if self._finished and not self._live:  # the thought ended: what was held back too
            new += self._shown.flush()
        if new:
            self._thought.append(new)
        present = self.present and not (self.mode == "hide" and not self._live)
        self.set_class(present, "-present")
        self.set_class(not self.open, "-closed")
        self.set_class(self._finished and not self._live, "-finished")
        if not present:
            return
        seconds = self.figures.thinking_s
        if self._live and self._started_at is not None:
            seconds = monotonic() - self._started_at
        header = header_text(live=self._live, seconds=seconds, figures=self.figures, open_=self.open,
                             redacted=self.redacted)
        self.query_one(".header", Static).update(header)
        if self.open:
            # Live, only the newest lines: about LIVE_LINES of them at this width, from a word start.
            width = self.size.width or 80  # not laid out yet: a guess; the next frame redraws
            window = min(LIVE_CHARS, max(40, (width - 4) * LIVE_LINES))
            if self._live and len(self._thought) > window:
                tail = self._thought.tail(window)
                shown = "…" + tail[tail.find(" ") + 1:] if " " in tail[:30] else "…" + tail
            elif len(self._thought) > THOUGHT_MAX:
                # Megabytes of thought are not laid out on the event loop: its end, and a note.
                self.query_one(".thought", Static).update(end_text(self.full_text.strip(), THOUGHT_END))
                return
            else:
                shown = self.full_text
            self.query_one(".thought", Static).update(Text(shown.strip()))
