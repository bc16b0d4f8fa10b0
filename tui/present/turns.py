"""Plain helpers for the main screen: a session's turns and lanes as the widgets' data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, overload

from rich.text import Text

from llmtui.core.attachments import label
from llmtui.core.pricing.cost import Cost, cache_saving, format_usd
from llmtui.core.session import ChatSession, Lane, LaneState, Turn, TurnKind
from llmtui.present.thinking import faster_lane, live_fields, pace, stored_fields
from llmtui.widgets.transcript import StoredTurn

if TYPE_CHECKING:  # the metrics bar's module loads with the first answer view, not before
    from llmtui.core.answer_stats import ExchangeStats
    from llmtui.widgets.metrics_bar import Metrics


ELSEWHERE = "streaming in another llmtui"


def state_text(state: LaneState) -> str:
    """The metrics bar's word for a lane's state ('' while it streams)."""
    return "" if state is LaneState.STREAMING else str(state)


def cost_text(cost: Cost, stats: ExchangeStats) -> str:
    """The answer's cost, and what the provider's cache saved on it."""
    saved = cache_saving(stats.usage, stats.price)
    return f"{cost.display()} (cache saved {format_usd(saved)})" if saved else cost.display()


def metrics_for(lane: Lane, label: str, masked: bool, *, blind: bool = False) -> Metrics:
    """The figures line; `blind` (a blind round before its vote) leaves out the cost, and what
    each lane was asked to think with (a model's own config setting could name it), and shows
    every thinking count as an estimate (only some providers report one exactly: it names them)."""
    metrics = _metrics(lane, label, masked)
    if not blind:
        return replace(metrics, asked=lane.asked.label)
    return replace(metrics, blind=True, asked="", reasoning_estimated=True)


def _metrics(lane: Lane, label: str, masked: bool) -> Metrics:
    from llmtui.widgets.metrics_bar import Metrics

    stats = lane.stats
    if stats is None:
        stored = lane.stored
        if stored is None:
            return Metrics(model=label, cost="~$0", masked_timings=masked)
        return Metrics(
            model=label, output_tokens=stored.output_tokens or 0, input_tokens=stored.input_tokens or 0,
            tokens_estimated=stored.usage_estimated, cost=lane.cost.display(), ttft_s=stored.ttft_s,
            tokens_per_s=stored.tokens_per_s,
            # 'streaming' once stored: another llmtui streams it now (a crashed one's is
            # marked interrupted when a store opens), so it is not over, nor stopped.
            state=ELSEWHERE if stored.status == "streaming" else state_text(lane.state),
            masked_timings=masked, **stored_fields(stored),
        )
    return Metrics(
        model=label, output_tokens=stats.output_tokens, input_tokens=stats.input_tokens,
        tokens_estimated=stats.usage_estimated, cost=cost_text(lane.cost, stats),
        ttft_s=stats.ttft_s, tokens_per_s=stats.tokens_per_s, state=state_text(lane.state),
        masked_timings=masked, **live_fields(stats),
    )


def turn_marks(turn: Turn) -> list[set[str]]:
    """'faster' / 'cheaper' for the better lane of a finished two-model turn."""
    marks: list[set[str]] = [set() for _ in turn.lanes]
    if len(turn.lanes) != 2 or not all(lane.state is LaneState.DONE for lane in turn.lanes):
        return marks
    faster, _ = faster_lane([pace(lane.stats) for lane in turn.lanes])
    if faster is not None:
        marks[faster].add("faster")
    costs = [lane.cost.amount for lane in turn.lanes]
    if costs[0] is not None and costs[1] is not None and costs[0] != costs[1]:
        marks[costs.index(min(costs[0], costs[1]))].add("cheaper")
    return marks


def faster_measure(turn: Turn) -> str:
    """What the "faster" mark of a finished two-model turn compares (tok/s or total time)."""
    return faster_lane([pace(lane.stats) for lane in turn.lanes])[1] if len(turn.lanes) == 2 else ""


def turn_note(turn: Turn) -> str:
    """How a turn came to replace another, shown beside the prompt ('' for a plain prompt)."""
    if turn.kind is TurnKind.RERUN:
        return f"rerun on {', '.join(turn.refs)} — earlier answer kept"
    if turn.kind is TurnKind.EDIT:
        return "edited — earlier answer kept"
    return ""


def stored_view(turn: Turn, label: Callable[[int, str], str], masked: bool,
                thinking_mode: str = "collapse") -> StoredTurn:
    """A reopened turn as the transcript draws it (thinking folded, as `thinking_mode` says)."""
    from llmtui.widgets.metrics_bar import Metrics

    row = []
    for i, lane in enumerate(turn.lanes):
        title = label(i, lane.ref)
        if lane.stored is None and lane.stats is None:
            row.append((title, "", Metrics(model=title, masked_timings=masked), "no answer stored"))
            continue
        error = (lane.stored.error_message if lane.stored is not None
                 else lane.stats.error.message if lane.stats and lane.stats.error else None)
        notice = f"⚠ {error}" if error else ""
        row.append((title, lane.text, metrics_for(lane, title, masked), notice))
    reasoning = tuple(lane.stored.reasoning if lane.stored else "" for lane in turn.lanes)
    return StoredTurn(shown_prompt(turn), tuple(row), note=turn_note(turn), reasoning=reasoning,
                      thinking_mode=thinking_mode)


class StoredViews(Sequence[StoredTurn]):
    """Reopened turns as the transcript draws them, each made when it is first asked for: a
    long conversation mounts only its newest turns (older pages on demand), so making all
    2,500 views of a 5,000-message conversation up front was work for turns never drawn."""

    def __init__(self, turns: Sequence[Turn], view: Callable[[Turn], StoredTurn]) -> None:
        self._turns = turns
        self._view = view
        self._made: dict[int, StoredTurn] = {}

    def __len__(self) -> int:
        return len(self._turns)

    @overload
    def __getitem__(self, index: int) -> StoredTurn: ...
    @overload
    def __getitem__(self, index: slice) -> StoredViews: ...

    def __getitem__(self, index: int | slice) -> StoredTurn | StoredViews:
        if isinstance(index, slice):
            return StoredViews(self._turns[index], self._view)
        turn = self._turns[index]
        made = self._made.get(id(turn))
        if made is None:
            made = self._made[id(turn)] = self._view(turn)
        return made


def shown_prompt(turn: Turn) -> str:
    """The prompt as the transcript shows it: with a line naming its attachments."""
    if not turn.parts:
        return turn.prompt
    return f"{turn.prompt}\n\n[attached: {', '.join(label(p) for p in turn.parts)}]"


def model_bar(models: list[str], blind: bool, thinking: Sequence[str] = ()) -> Text:
    """The line above the transcript: chat or compare, with what, and how hard a chat's model
    thinks on the next send (`thinking`: a label per model, "" for its default; a compare's
    lanes show theirs in their pane titles, CompareLanes.set_notes)."""
    text = Text()
    said = list(thinking) + [""] * (len(models) - len(thinking))
    if len(models) >= 2:
        text.append("compare ", style="bold reverse")
        if blind:
            text.append(" blind: Model A vs Model B, drawn afresh each round; names after your "
                        "vote (F5 A · F6 B · F7 tie · F9 both bad)")
        else:
            # Each lane's own setting is in its pane's title (CompareLanes.set_notes).
            text.append("  " + "  vs  ".join(f"{'ABCD'[i]}: {ref}" for i, ref in enumerate(models)))
    elif models:
        text.append("chat ", style="bold reverse")
        text.append(f" {models[0]}")
        if said[0]:
            text.append(f" · {said[0]}", style="bold")
    return text


def switch_notice(session: ChatSession, goes_on: bool, new_key: str = "ctrl+n") -> str:
    """What a change of model did to the conversation, in one line (`new_key` starts a new one)."""
    models = session.models
    what = "Blind compare" if session.blind else ("Compare" if len(models) >= 2 else "Chatting with")
    rest = (f"they see this conversation so far ({new_key} starts a new one)"
            if goes_on and session.turns else "a new conversation")
    return f"{what} {' vs '.join(models)}: {rest}."


def last_code_block(text: str) -> str | None:
    """The body of the last fenced code block in `text`."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks[-1] if blocks else None
