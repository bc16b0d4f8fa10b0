"""The line under an answer: model · tokens · cost · TTFT · tok/s, plus faster/cheaper marks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class Metrics:
    """What the bar shows; the screen fills it from an Exchange's live stats."""

    model: str = ""
    output_tokens: int = 0
    input_tokens: int = 0
    tokens_estimated: bool = True
    cost: str = ""
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    state: str = ""
    """'' while streaming, else done / interrupted / error."""
    faster: bool = False
    cheaper: bool = False
    masked_timings: bool = False
    """Show timings as dashes (deterministic snapshots)."""


class MetricsBar(Static):
    DEFAULT_CSS = """
    MetricsBar {
        height: auto;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def show(self, metrics: Metrics) -> None:
        self.update(render_metrics(metrics))


def render_metrics(m: Metrics) -> Text:
    text = Text()
    if m.model:
        text.append(m.model, style="bold")
        text.append(" · ")
    tilde = "~" if m.tokens_estimated else ""
    text.append(f"{tilde}{m.output_tokens} tok ({tilde}{m.input_tokens} in) · ")
    text.append(m.cost or "$?")
    if m.masked_timings:
        text.append(" · TTFT –.––s · –tok/s")
    else:
        text.append(" · TTFT " + (f"{m.ttft_s:.2f}s" if m.ttft_s is not None else "…"))
        text.append(" · " + (f"{m.tokens_per_s:.0f}tok/s" if m.tokens_per_s is not None else "…tok/s"))
    if m.state and m.state != "done":
        text.append(f" · {m.state}", style="bold yellow" if m.state == "interrupted" else "bold red")
    if m.faster:
        text.append("  ⚡ faster", style="bold green")
    if m.cheaper:
        text.append("  $ cheaper", style="bold green")
    return text
