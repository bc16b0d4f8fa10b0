"""How hard a model should think on the next send: a reasoning effort or a thinking budget.

The TUI picks one per model in play (a blind compare: one for both lanes, from BLIND_CONTROLS,
so the choices offered never tell which provider sits in a lane). A choice replaces the
model's `[models."P/M"]` settings as a pair; no choice leaves them in force. What each
provider takes is providers/reasoning.controls_for. No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmtui.providers.base import EFFORTS, Effort, split_ref
from llmtui.providers.reasoning import BLIND_CONTROLS, NO_CONTROLS, Controls, controls_for

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

# Anthropic and Bedrock-Claude send max_tokens = the answer's allowance + the budget; the
# allowance is max_tokens, else this (the adapters' own default).
ANSWER_ALLOWANCE = 4096


@dataclass(frozen=True, slots=True)
class ReasoningChoice:
    """An effort level or a budget in tokens; neither: the model's own settings."""

    effort: Effort | None = None
    budget: int | None = None

    @property
    def is_default(self) -> bool:
        return self.effort is None and self.budget is None

    @property
    def label(self) -> str:
        """`effort: high`, `think ≤ 8k`, or "" for the model's own settings."""
        if self.budget is not None:
            return f"think ≤ {short_tokens(self.budget)}"
        return f"effort: {self.effort}" if self.effort is not None else ""


DEFAULT = ReasoningChoice()


def stored_choice(effort: str | None, budget: int | None) -> ReasoningChoice:
    """A choice read back from the store (or an imported file): anything odd is the default."""
    level = next((e for e in EFFORTS if e == effort), None)
    tokens = budget if isinstance(budget, int) and not isinstance(budget, bool) and budget >= 0 else None
    return ReasoningChoice(level, tokens)


def short_tokens(n: int) -> str:
    """8000 -> 8k, 16384 -> 16.4k, 1024 -> 1024 (exact below 10,000 unless it is whole thousands)."""
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    if n >= 10_000:
        return f"{n / 1000:.1f}k"
    return str(n)


def resolved(effort: Effort | None, budget: int | None,
             settings: tuple[Effort | None, int | None]) -> tuple[Effort | None, int | None]:
    """What a request sends: its own controls (a TUI choice, `ask` flags), else the model's
    `[models."P/M"]` settings. As a pair: a picked effort is not mixed with a budget from
    config.toml (which would win on a provider that takes budgets)."""
    if effort is not None or budget is not None:
        return effort, budget
    return settings


def budget_bounds(controls: Controls, answer_tokens: int, max_output: int | None) -> tuple[int, int] | None:
    """The budget's (least, most) for this model, or None when it takes no budget. Thinking is
    output: with the answer's allowance it must fit the model's most output, when the catalog
    knows it (Anthropic: budget_tokens < max_tokens ≤ the model's limit)."""
    if controls.budget is None:
        return None
    low, high = controls.budget
    if max_output is not None:
        high = min(high, max_output - answer_tokens)
    return (low, high) if high >= low else None


@dataclass(frozen=True, slots=True)
class Offer:
    """What the picker offers for one model (or for a blind compare's lanes)."""

    efforts: tuple[Effort, ...]
    budget: tuple[int, int] | None

    @property
    def any(self) -> bool:
        return bool(self.efforts) or self.budget is not None


BLIND_OFFER = Offer(BLIND_CONTROLS.efforts, BLIND_CONTROLS.budget)


def offer_for(runtime: Runtime, ref: str, max_tokens: int | None) -> Offer:
    """What `ref`'s provider takes, its budget bounded by the model's output limit. Blocking
    (the catalog cache is read): call it in a thread."""
    from llmtui.core.catalog.cache import model_bounds

    try:
        provider_id, model = split_ref(ref)
        spec = runtime.spec(provider_id)
    except Exception:  # noqa: BLE001 - an unknown provider takes nothing; sending says why
        return Offer(NO_CONTROLS.efforts, None)
    controls = controls_for(spec, model)
    max_output = model_bounds(runtime, provider_id, model)[0] if controls.budget else None
    allowance = max_tokens or (ANSWER_ALLOWANCE if spec.kind in ("anthropic", "bedrock") else 0)
    return Offer(controls.efforts, budget_bounds(controls, allowance, max_output))


def parse_budget(text: str, bounds: tuple[int, int] | None) -> int | str:
    """The budget typed (`8000`, `8k`, `8,000`), or why it cannot be used: one line."""
    if bounds is None:
        return "this model takes no thinking budget; pick an effort level"
    low, high = bounds
    raw = text.strip().lower().replace(",", "").replace("_", "")
    scale = 1
    if raw.endswith("k"):
        raw, scale = raw[:-1], 1000
    # 8000, 8.5k, 1e9: a number written any plain way (a huge one is out of range, not malformed)
    number = float(raw) * scale if re.fullmatch(r"\d{1,30}(\.\d{1,6})?(e\d{1,2})?", raw) else None
    if number is None or not number.is_integer():
        return f"a budget is a whole number of tokens, {low}–{high} (e.g. 8000 or 8k)"
    if not low <= number <= high:
        return f"{int(number):,} tokens is outside {low}–{high} for this model"
    return int(number)
