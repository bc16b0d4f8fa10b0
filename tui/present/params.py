"""The parameters panel's data: whose parameters it edits, their values, and what the lane's
provider does not take; and the compact form lane titles and the model bar show.

In a blind compare nothing here names or hints at a provider: both lanes get the same values,
and no provider-specific note is given (it would tell the lanes apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmtui.core.sampling import Sampling
from llmtui.providers.base import ChatRequest, split_ref
from llmtui.providers.sampling import TAKES, fit_sampling

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime
    from llmtui.core.session import ChatSession

# A request that sets everything, to ask fit_sampling what a provider would leave out.
_PROBE = dict(temperature=0.5, top_p=0.5, seed=1, stop=("x",))


@dataclass(frozen=True, slots=True)
class ParamsTarget:
    """What the panel opens on."""

    title: str
    ref: str | None
    """The focused lane's model, when the panel may set that lane alone; None: all lanes only."""
    values: Sampling
    """The values the focused lane will be sent (the panel's fields start from these)."""
    per_lane: bool
    """That lane has its own values now (the scope starts on "this lane")."""
    hints: tuple[str, ...] = ()
    """What the lane's provider does not take, one line each; none in a blind compare."""
    refused: frozenset[str] = frozenset()
    """Parameters the lane's (or the chat's one) provider has no field for at all."""


@dataclass(frozen=True, slots=True)
class ParamsChoice:
    sampling: Sampling
    ref: str | None
    """None: every lane."""


def params_target(runtime: Runtime, session: ChatSession, lane: int) -> ParamsTarget:
    models = session.models
    if session.blind:
        return ParamsTarget("Both lanes (a blind compare sends A and B the same)", None,
                            session.sampling, per_lane=False)
    ref = models[min(lane, len(models) - 1)] if models else None
    if ref is None:
        return ParamsTarget("All lanes", None, session.sampling, per_lane=False)
    hints, refused = provider_notes(runtime, ref)
    if len(models) < 2:  # a chat: its one model's parameters are every lane's
        return ParamsTarget(ref, None, session.sampling_for(ref), False, hints, refused)
    return ParamsTarget(f"Lane {'ABCD'[lane]}: {ref}", ref, session.sampling_for(ref),
                        ref in session.lane_sampling, hints, refused)


def provider_notes(runtime: Runtime, ref: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """What `ref`'s provider would leave out of a request that set every parameter."""
    try:
        provider_id, model = split_ref(ref)
        spec = runtime.spec(provider_id)
    except Exception:  # noqa: BLE001 - an unknown provider: nothing known to say
        return (), frozenset()
    probe = ChatRequest(model=model, messages=(), **_PROBE)  # type: ignore[arg-type]
    refused = frozenset({"temperature", "top_p", "seed", "stop"} - TAKES.get(spec.kind, frozenset()))
    return fit_sampling(spec, probe).notes, refused


def lane_notes(session: ChatSession, thinking: Sequence[str]) -> list[str]:
    """Each compare pane's note (CompareLanes.set_notes): how hard it thinks (`thinking`, a
    label per model) and the parameters it is sent, where either is set. A blind compare's
    lanes are sent the same, so their notes tell them apart no more than their names do."""
    notes = []
    for i, ref in enumerate(session.models):
        said = thinking[i] if i < len(thinking) else ""
        notes.append(" · ".join(part for part in (said, session.sampling_for(ref).compact()) if part))
    return notes


def params_note(session: ChatSession) -> str:
    """The model bar's tail in a chat: its model's parameters ('' when none are set; a
    compare's are in its panes' notes)."""
    if len(session.models) != 1:
        return ""
    only = session.sampling_for(session.models[0]).compact()
    return f" · {only}" if only else ""
