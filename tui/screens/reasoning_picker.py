"""The reasoning picker: how hard a model should think on the next send.

A list of the effort levels the model's provider maps (core/reasoning_choice.Offer), "model
default" first, and, where the provider takes one, a thinking budget in tokens checked against
its bounds as you press Enter (a bad one says why on one line and nothing is lost). Dismisses
with the ReasoningChoice, or None on Esc. The screen that opens it decides for which lane(s) and says
so in the title: a blind compare's title names no model and offers the blind set only.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from llmtui.core.reasoning_choice import BLIND_OFFER, DEFAULT, Offer, ReasoningChoice, offer_for, parse_budget
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from textual.app import App

    from llmtui.core.session import ChatSession


class ReasoningPicker(ShowsWorkerFailures, ModalScreen[ReasoningChoice | None]):
    DEFAULT_CSS = """
    ReasoningPicker { align: center middle; background: $background 60%; }
    ReasoningPicker > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 0 1; border: round $primary;
        background: $surface;
    }
    ReasoningPicker #reasoning-title { text-style: bold; color: $primary; width: 100%; }
    ReasoningPicker OptionList { height: auto; max-height: 8; border: none; padding: 0; }
    ReasoningPicker #reasoning-budget { margin-top: 1; }
    ReasoningPicker .-hint { color: $text-muted; width: 100%; }
    ReasoningPicker #reasoning-problem { color: $error; width: 100%; }
    """
    # The levels take focus as the screen opens (not in on_mount, which could take it back
    # from a Tab typed meanwhile); on_mount moves it to the budget when a budget is in force.
    AUTO_FOCUS = "#reasoning-efforts"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="reasoning.close",
                        tooltip="Close without changing anything")]

    def __init__(self, title: str, offer: Offer, current: ReasoningChoice) -> None:
        super().__init__()
        self._title = title
        self.offer = offer
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="reasoning-title", markup=False)
            if not self.offer.any:
                yield Label("This model takes no reasoning setting: nothing to choose.",
                            classes="-hint", markup=False)
                return
            now = self.current.label or "model default"
            options = [Option("model default (config.toml, or the provider's own)", id="default")]
            options += [Option(effort, id=effort) for effort in self.offer.efforts]
            yield OptionList(*options, id="reasoning-efforts")
            if self.offer.budget is not None:
                low, high = self.offer.budget
                yield Input(str(self.current.budget or ""), id="reasoning-budget",
                            placeholder=f"or a thinking budget: {low}–{high} tokens, then Enter")
            yield Label("", id="reasoning-problem", markup=False)
            room = f" · budget {self.offer.budget[0]}–{self.offer.budget[1]}" if self.offer.budget else ""
            yield Label(f"now: {now}{room} · applies from the next send · Esc: no change",
                        classes="-hint", markup=False)

    def on_mount(self) -> None:
        for efforts in self.query("#reasoning-efforts").results(OptionList):
            levels = ("default", *self.offer.efforts)
            now = self.current.effort or "default"
            efforts.highlighted = levels.index(now) if now in levels else 0
        if self.current.budget is not None:
            for budget in self.query("#reasoning-budget").results(Input):
                budget.focus()

    @on(OptionList.OptionSelected, "#reasoning-efforts")
    def _effort(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option = event.option.id
        effort = next((e for e in self.offer.efforts if e == option), None)
        self.dismiss(ReasoningChoice(effort) if effort is not None else DEFAULT)

    @on(Input.Submitted, "#reasoning-budget")
    def _budget(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.dismiss(DEFAULT)
            return
        found = parse_budget(event.value, self.offer.budget)
        if isinstance(found, str):
            self.query_one("#reasoning-problem", Label).update(found)
            return
        self.dismiss(ReasoningChoice(budget=found))


async def pick_for(app: App[object], session: ChatSession, lane: int) -> ReasoningChoice | None:
    """Ask, then set, how hard lane `lane`'s model thinks from the next send (a blind compare:
    every lane, from the blind set, under a title that names no model). In a worker."""
    if not session.models:
        return None
    lane = min(max(lane, 0), len(session.models) - 1)
    ref = session.models[lane]
    if session.blind:
        title, offer, target = "Thinking for both lanes (Model A and Model B)", BLIND_OFFER, None
    else:
        where = f"lane {'ABCD'[lane]}: " if len(session.models) >= 2 else ""
        max_tokens = session.runtime.config.sampling_for(ref, session.sampling_for(ref)).max_tokens
        offer = await asyncio.to_thread(offer_for, session.runtime, ref, max_tokens)
        title, target = f"Thinking for {where}{ref}", ref
    choice = await app.push_screen_wait(ReasoningPicker(title, offer, session.choice_for(ref)))
    if choice is not None:
        session.choose(choice, target)
    return choice
