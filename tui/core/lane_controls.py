"""How each model's next request asks: its sampling parameters and how hard it thinks.

Set for every lane or for one model (the panel's "this lane", the reasoning picker); a blind
compare has one setting for both lanes, since per-model ones would tell them apart. What is
unset falls through to the `ask` flags, then the config (the Exchange looks). `ChatSession`
(core/session.py) is a `LaneControls`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmtui.core.reasoning_choice import DEFAULT, ReasoningChoice
from llmtui.core.sampling import Sampling, from_json

if TYPE_CHECKING:
    from llmtui.core.turns import Lane
    from llmtui.providers.base import Effort


class LaneControls:
    blind: bool
    """A blind compare (the session's): one setting for both lanes."""

    def __init__(self, sampling: Sampling, reasoning_effort: Effort | None,
                 thinking_budget: int | None) -> None:
        self.sampling = sampling
        self.lane_sampling: dict[str, Sampling] = {}
        """One model's own parameters (the panel's "this lane"), in place of `sampling`."""
        self.reasoning_effort = reasoning_effort
        self.thinking_budget = thinking_budget
        self.choices: dict[str, ReasoningChoice] = {}
        """How hard each model should think from the next send (the TUI's picker). Absent:
        the `ask` flags, else the config."""
        self.blind_choice = DEFAULT
        """A blind compare's one setting for both lanes (per-model ones would tell them apart)."""

    def choice_for(self, ref: str) -> ReasoningChoice:
        return self.blind_choice if self.blind else self.choices.get(ref, DEFAULT)

    def choose(self, choice: ReasoningChoice, ref: str | None = None) -> None:
        """From the next send on, `ref` thinks as `choice` says; None: both lanes of a blind
        compare."""
        if ref is None:
            self.blind_choice = choice
        else:
            self.choices[ref] = choice

    def controls(self, ref: str) -> tuple[Effort | None, int | None]:
        """The effort and budget `ref`'s next request asks for (neither: its config's)."""
        choice = self.choice_for(ref)
        if choice.is_default:
            return self.reasoning_effort, self.thinking_budget
        return choice.effort, choice.budget

    @property
    def temperature(self) -> float | None:
        return self.sampling.temperature

    @property
    def max_tokens(self) -> int | None:
        return self.sampling.max_tokens

    def sampling_for(self, ref: str) -> Sampling:
        """What `ref` is sent from the next prompt on; a blind compare sends both the same."""
        if self.blind:
            return self.sampling
        return self.lane_sampling.get(ref, self.sampling)

    def set_sampling(self, sampling: Sampling, ref: str | None = None) -> None:
        """Every lane's parameters (`ref` None), or one model's; a blind compare has no per-lane ones."""
        if ref is None or self.blind:
            self.sampling = sampling
            self.lane_sampling.clear()
        else:
            self.lane_sampling[ref] = sampling

    def restore_sampling(self, last: Sequence[Lane]) -> None:
        """The parameters the last answers were sent with become the panel's (per lane where
        they differ), so a reopened conversation goes on as it was."""
        sent = {lane.ref: from_json(lane.stored.params) for lane in last if lane.stored is not None}
        if not sent:
            return
        values = list(sent.values())
        if all(v == values[0] for v in values):
            self.set_sampling(values[0])
        else:
            self.set_sampling(Sampling())
            for ref, sampling in sent.items():
                self.set_sampling(sampling, ref)
