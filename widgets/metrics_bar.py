"""The line under an answer: model · tokens · cost · TTFT · tok/s, plus faster/cheaper marks.

For a model that thought first it also says when the answer itself began and how long the
thinking took (the figures' meaning: llmtui.core.timing).
"""

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
    """'' while streaming, else done / interrupted / error, or that another llmtui streams it."""
    faster: bool = False
    cheaper: bool = False
    masked_timings: bool = False
    """Show timings as dashes (deterministic snapshots)."""
    answer_ttft_s: float | None = None
    """Request -> first answer token (ttft_s is the first token of any kind)."""
    thinking_s: float | None = None
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = True
    hides_reasoning: bool = False
    """The provider thinks out of sight (OpenAI): only a token count says it did."""
    reasoning_redacted: bool = False
    """The provider sent part of the thinking redacted (encrypted): there was more than shown."""
    faster_by: str = ""
    """Which measure the faster mark compares (TTFT, answer TTFT or tok/s)."""
    blind: bool = False
    """Before a blind vote: no cost and no cheaper mark (a price gap names the model)."""
    asked: str = ""
    """How hard the answer was asked to think (`effort: high`, `think ≤ 8k`); "" for the default."""


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
    text.append("cost after the vote" if m.blind else (m.cost or "$?"))
    thought = m.thinking_s is not None or bool(m.reasoning_tokens)
    if m.masked_timings:
        text.append(" · TTFT –.––s")
        if thought:
            text.append(" · answer –.––s · thought –.–s")
        text.append(" · – tok/s")
    else:
        unknown = "–" if m.state else "…"  # finished and still not known: never coming ("–", as ask)
        text.append(" · TTFT " + (f"{m.ttft_s:.2f}s" if m.ttft_s is not None else unknown))
        if thought:
            answer = f"{m.answer_ttft_s:.2f}s" if m.answer_ttft_s is not None else unknown
            text.append(f" · answer {answer}")
            if m.thinking_s is not None:
                text.append(f" · thought {m.thinking_s:.1f}s")
        rate = f"{m.tokens_per_s:.0f}" if m.tokens_per_s is not None else unknown
        text.append(f" · {rate} tok/s")
    if m.reasoning_tokens:
        tilde = "~" if m.reasoning_estimated else ""
        text.append(f" ({tilde}{m.reasoning_tokens} thinking)")
    if m.asked:
        text.append(f" · {m.asked}")
    if m.state and m.state != "done":
        text.append(f" · {m.state}", style="bold red" if m.state == "error" else "bold yellow")
    if m.faster:
        text.append(f"  ⚡ faster ({m.faster_by})" if m.faster_by else "  ⚡ faster", style="bold green")
    if m.cheaper and not m.blind:
        text.append("  $ cheaper", style="bold green")
    return text
