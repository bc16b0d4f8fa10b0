"""The live cost meter: this answer, this conversation, today, this month, per provider.

Attributes down: the screen computes the figures and calls `show(figures)`; the
meter never reads the store or calls a provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static


@dataclass(frozen=True, slots=True)
class BudgetBar:
    label: str
    spent: float
    limit: float
    limit_text: str
    spent_text: str


@dataclass(frozen=True, slots=True)
class MeterFigures:
    answer: str = "$0"
    conversation: str = "$0"
    today: str = "$0"
    month: str = "$0"
    per_provider: Sequence[tuple[str, str]] = ()
    budgets: Sequence[BudgetBar] = ()
    speeds: Sequence[float] = field(default_factory=tuple)
    """Recent answers' tokens/s, oldest first, for the sparkline."""
    note: str = ""


def bar(fraction: float, width: int = 20) -> str:
    fraction = max(0.0, min(1.0, fraction))
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


class CostMeter(VerticalScroll):
    DEFAULT_CSS = """
    CostMeter {
        width: 32;
        height: 1fr;
        padding: 0 1;
        background: $surface;
        border-left: vkey $panel;
    }
    CostMeter > .heading {
        color: $primary;
        text-style: bold;
        margin-top: 1;
    }
    CostMeter > Static {
        height: auto;
    }
    CostMeter > Sparkline {
        height: 3;
        margin: 0 0 0 0;
        max-width: 100%;
    }
    CostMeter > .muted {
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("Cost", classes="heading")
        yield Static("", id="totals")
        yield Static("Per provider · month", classes="heading")
        yield Static("", id="providers")
        yield Static("Budgets", classes="heading -hidden", id="budget-heading")
        yield Static("", id="budgets", classes="-hidden")
        yield Static("Speed · tok/s", classes="heading")
        yield Sparkline([], id="speeds")
        yield Static("", id="speed-note", classes="muted")
        yield Static("", id="note", classes="muted")

    def show(self, figures: MeterFigures) -> None:
        totals = Text()
        for label, value in (("this answer", figures.answer), ("conversation", figures.conversation),
                             ("today", figures.today), ("this month", figures.month)):
            totals.append(f"{label:<13}", style="dim")
            totals.append(f"{value}\n", style="bold")
        totals.rstrip()
        self.query_one("#totals", Static).update(totals)
        providers = Text()
        for name, value in figures.per_provider:
            providers.append(f"{name:<13}", style="dim")
            providers.append(f"{value}\n")
        providers.rstrip()
        self.query_one("#providers", Static).update(providers or Text("nothing spent yet", style="dim"))
        has_budgets = bool(figures.budgets)
        self.query_one("#budget-heading").set_class(not has_budgets, "-hidden")
        budgets = self.query_one("#budgets", Static)
        budgets.set_class(not has_budgets, "-hidden")
        if has_budgets:
            text = Text()
            for b in figures.budgets:
                fraction = b.spent / b.limit if b.limit else 1.0
                style = "red" if fraction >= 1 else ("yellow" if fraction >= 0.8 else "green")
                text.append(f"{b.label} {b.spent_text} / {b.limit_text}\n", style="dim")
                text.append(bar(fraction, 26) + "\n", style=style)
            text.rstrip()
            budgets.update(text)
        spark = self.query_one(Sparkline)
        spark.data = list(figures.speeds)
        # One column per answer: a single answer is a figure, not a full-width wall of blocks.
        spark.display = len(figures.speeds) >= 2
        spark.styles.width = max(2, len(figures.speeds))
        last = f"last {figures.speeds[-1]:.0f} tok/s" if figures.speeds else "no answers yet"
        self.query_one("#speed-note", Static).update(last)
        self.query_one("#note", Static).update(Text(figures.note))
