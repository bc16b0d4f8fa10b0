"""What the main screen shows of its chat session: the transcript (one column, or a pane per
model in a compare), the model bar, one MessageView per lane fed by its own stream worker,
the frame tick that repaints streaming lanes, the cost meter and the no-history banner.

`ChatViews` is the base of `MainScreen` (screens/main.py), which composes the widgets and
routes keys; the session itself (llmtui.core.session) holds the conversation and its rules.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from time import monotonic, process_time
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen
from textual.widgets import Static

from llmtui.core.answer_stats import ALL_THOUGHT
from llmtui.core.pricing.cost import add
from llmtui.core.session import ChatSession, Lane, LaneState, Turn
from llmtui.present.remedies import binding_key, error_text
from llmtui.present.turns import (
    StoredViews,
    faster_measure,
    metrics_for,
    model_bar,
    shown_prompt,
    stored_view,
    turn_marks,
    turn_note,
)
from llmtui.providers.base import Notice, ReasoningDelta, StreamDone, StreamError, TextDelta
from llmtui.screens.worker_failures import ShowsWorkerFailures
from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.frame_pacer import FramePacer
from llmtui.widgets.history_off_banner import HistoryOffBanner
from llmtui.widgets.thinking_mode import Mode as ThinkingMode
from llmtui.widgets.transcript import Transcript

if TYPE_CHECKING:  # the meter's and the answer views' modules load after the first frame
    from llmtui.core.history_off import StoreProblem
    from llmtui.core.runtime import Runtime
    from llmtui.widgets.cost_meter import BudgetBar
    from llmtui.widgets.message_view import MessageView

METRICS_EVERY = 4  # streaming lanes repaint every frame (widgets/frame_pacer.py); their figures every 4th
QUIET_S = 0.03
"""A lane with nothing new for this long (a tick of the frame clock) shows what it has at once."""


class ChatViews(ShowsWorkerFailures, Screen[None]):
    """The views of one ChatSession, kept in step with it (no keys, no layout of its own)."""

    def __init__(self, runtime: Runtime, *, deterministic: bool = False) -> None:
        super().__init__()
        self.runtime = runtime
        self.deterministic = deterministic
        self.session = ChatSession(runtime, system=runtime.config.defaults.system)
        self.views: dict[Lane, MessageView] = {}
        self.thinking_mode: ThinkingMode = "collapse"
        """How models' thinking shows: show / collapse / hide (F3; saved in settings)."""
        self._frames = 0
        self._pacer = FramePacer()
        self._totals: tuple[str, str, list[tuple[str, str]], list[BudgetBar]] = ("$0", "$0", [], [])
        self._meter_note = ""

    @property
    def transcript(self) -> Transcript | CompareLanes:
        """Where turns show: one column for a chat, a pane per model for a compare."""
        if len(self.session.models) >= 2:
            return self.query_one(CompareLanes)
        return self.query_one(Transcript)

    async def _show_layout(self) -> None:
        """Show the transcript that fits the models in play, with one pane per model."""
        lanes = self.query_one(CompareLanes)
        comparing = len(self.session.models) >= 2
        lanes.display = comparing
        self.query_one(Transcript).display = not comparing
        if comparing:
            titles = [self.session.label(i, ref) for i, ref in enumerate(self.session.models)]
            if [p.title for p in lanes.panes] != titles:
                await lanes.set_lanes(titles)

    def _show_model_bar(self) -> None:
        from llmtui.present.params import lane_notes, params_note

        session = self.session
        thinking = [session.choice_for(ref).label for ref in session.models]
        bar = model_bar(session.models, session.blind, thinking)
        self.query_one("#model-bar", Static).update(bar.append(params_note(session), style="italic"))
        # A lane's thinking and parameters in its pane title (blind: one setting, the same on both).
        self.query_one(CompareLanes).set_notes(lane_notes(session, thinking))

    async def show_history_off(self, problem: StoreProblem) -> None:
        """No-history mode: the banner above the conversation, the repair in the transcript."""
        if self.query("#history-off"):
            return
        await self.query_one("#centre").mount(HistoryOffBanner(problem.banner()), before=0)
        await self.transcript.show_hint(problem.hint())

    async def _redraw(self) -> None:
        """Draw the conversation so far into the transcript in use (after a change of layout)."""
        self.views.clear()
        masked, mode = self.deterministic, self.thinking_mode
        turns = StoredViews([turn for turn in self.session.turns if not turn.streaming],
                            lambda turn: stored_view(turn, lambda _i, ref: ref, masked, mode))  # names show
        await self.transcript.load(turns)

    def _apply_thinking_mode(self) -> None:
        from llmtui.widgets.message_view import MessageView

        for view in self.query(MessageView):
            view.set_reasoning_mode(self.thinking_mode)

    async def _show_turn(self, turn: Turn) -> None:
        """Mount the turn's views and start one stream worker per lane."""
        if self.runtime.history_off is not None:  # the store failed as the prompt was saved
            await self.show_history_off(self.runtime.history_off)
        await self._say_what_the_send_found(turn)
        titles = [self.session.label(i, lane.ref) for i, lane in enumerate(turn.lanes)]
        widget = await self.transcript.add_turn(shown_prompt(turn), titles, note=turn_note(turn))
        for index, (lane, view) in enumerate(zip(turn.lanes, widget.views, strict=True)):
            self.views[lane] = view
            view.set_reasoning_mode(self.thinking_mode)
            view.thinking.set_blind(self.session.blind and not turn.voted)
            view.start()
            self.stream_reply(turn, index)
        self._show_meter()  # this turn's figures from the start (hidden in a blind round)

    async def _say_what_the_send_found(self, turn: Turn) -> None:
        """The conversation deleted meanwhile (this prompt began a new one: the old turns go from
        the screen), or another llmtui's prompts in it that this screen does not show."""
        if turn.started_afresh is not None:
            self.views.clear()
            await self.transcript.clear_turns()
            self.notify(f"Conversation {turn.started_afresh} was deleted elsewhere: this prompt "
                        "starts a new conversation.", severity="warning", markup=False)
        elif turn.unseen:
            many = "s" * (turn.unseen != 1)
            self.notify(f"Another llmtui added {turn.unseen} prompt{many} to this conversation, "
                        "not shown here (ctrl+o reopens it with them).", severity="warning",
                        markup=False)

    @work(group="stream", exit_on_error=False)
    async def stream_reply(self, turn: Turn, index: int) -> None:
        from llmtui.core.exchange import Retrying

        lane = turn.lanes[index]
        view = self.views[lane]
        hidden = self.session.blind and not turn.voted
        warned = ""  # a Notice (usage ignored, answer not saved) stays on screen at the end
        loading = await self._show_loading(lane.ref, view)
        try:
            async for event in self.session.stream(turn, index):
                if loading and isinstance(event, TextDelta | ReasoningDelta):
                    loading = False
                    view.show_notice("")  # loaded: the hint goes with the first token
                if isinstance(event, TextDelta):
                    view.feed(event.text)
                elif isinstance(event, ReasoningDelta):
                    view.feed_reasoning(event.text, redacted=event.redacted)
                elif isinstance(event, Retrying):
                    why = "" if hidden else f": {event.reason}"  # the provider's text names it
                    view.show_notice(f"↻ retrying in {event.wait_s:.1f}s (attempt {event.attempt + 1}){why}")
                elif isinstance(event, Notice):
                    warned = f"⚠ {self._blinded(event.text, lane.ref, index) if hidden else event.text}"
                    view.show_notice(warned)
                elif isinstance(event, StreamError):
                    full = error_text(event, lambda binding: binding_key(self.app, binding))
                    if hidden:
                        lane.hidden_notice = full
                        full = (f"⚠ {event.kind}: this answer failed "
                                "(the details name the model: shown after you vote)")
                    view.show_notice(f"{full} — {warned}" if warned else full, failed=True)
                elif isinstance(event, StreamDone):
                    stats = turn.exchanges[index].stats
                    view.show_notice(warned or (f"⚠ {ALL_THOUGHT}" if stats.all_thought else ""))
        except asyncio.CancelledError:
            unsaved = turn.exchanges[index].stats.unsaved
            view.show_notice(f"interrupted — ⚠ {unsaved}" if unsaved else
                             "interrupted — the text so far is kept")
            await view.finish("interrupted")
            self._lane_finished(turn, index)
            raise
        except Exception as exc:  # noqa: BLE001 - never crash the app for one answer
            view.show_notice(f"⚠ unexpected error: {exc}", failed=True)
        await view.finish(str(lane.state))
        self._lane_finished(turn, index)

    async def _show_loading(self, ref: str, view: MessageView) -> bool:
        """'loading model…' under a local model's lane until its first token (True if shown)."""
        from llmtui.core.load_note import loading_note, loads_here

        if not loads_here(self.runtime, ref):
            return False
        note = await asyncio.to_thread(loading_note, self.runtime, ref)
        if note:
            view.show_notice(note)
        return bool(note)

    def _blinded(self, text: str, ref: str, index: int) -> str:
        """A notice in a blind round, with the names that would give the side away as A/B."""
        from llmtui.present.arena import unnamed

        provider, _, model = ref.partition("/")
        try:
            shown_as = self.runtime.spec(provider).display_name
        except Exception:  # noqa: BLE001 - an unknown provider has no other name
            shown_as = provider
        return unnamed(text, [ref, model, provider, shown_as], self.session.label(index, ref))

    def _lane_finished(self, turn: Turn, index: int) -> None:
        if not turn.streaming:
            self._turn_finished(turn)
            return
        # Its final figures now, while the other lanes stream (frames update streaming lanes
        # only; a lane done before its first update read "~0 tok · TTFT …" until the last ended).
        lane = turn.lanes[index]
        hidden = self.session.blind and not turn.voted
        if lane in self.views:
            self.views[lane].show_metrics(metrics_for(
                lane, self.session.label(index, lane.ref, turn.voted), self.deterministic,
                blind=hidden))
        if not hidden:
            self.refresh_meter()  # per-provider spend would name the models before the vote

    def _reveal(self, turn: Turn) -> None:
        """A blind round after its vote (or its failure): names on the answers, the pane
        titles and the narrow layout's tabs, and the error text held back."""
        for lane in turn.lanes:
            if lane in self.views:
                self.views[lane].set_title(lane.ref)
                if (revealed := lane.after_vote()) is not None:  # errors, held notices
                    self.views[lane].show_notice(revealed[0], failed=revealed[1])
        for lanes in self.query(CompareLanes).results(CompareLanes):
            lanes.set_titles([lane.ref for lane in turn.lanes])

    def _turn_finished(self, turn: Turn) -> None:
        marks, measure = turn_marks(turn), faster_measure(turn)
        if len(turn.lanes) == 2 and self.session.blind and not turn.voted:
            if self.session.vote_problem() is None:
                self.notify("Which answer is better? F5: A · F6: B · F7: tie · F9: both bad",
                            timeout=6)
            else:
                # Nothing to judge: the round is closed and shown (the next one draws again).
                turn.voted = True
                self._reveal(turn)
                self.notify("An answer failed: no vote on this round, so the names show. "
                            "The next prompt draws the sides again.", timeout=6)
        self.refresh_bindings()
        hidden = self.session.blind and not turn.voted
        for i, lane in enumerate(turn.lanes):
            if lane in self.views:
                metrics = metrics_for(lane, self.session.label(i, lane.ref, turn.voted),
                                      self.deterministic, blind=hidden)
                self.views[lane].show_metrics(replace(metrics, faster="faster" in marks[i],
                                                      faster_by=measure, cheaper="cheaper" in marks[i]))
        if not (self.session.blind and not turn.voted):
            self.refresh_meter()

    def interrupt_streams(self) -> None:
        """Esc: every streaming lane shows it is interrupted now, then its worker is cancelled.
        The worker saves what arrived before it ends (a thread; seconds for megabytes)."""
        turn = self.session.turns[-1] if self.session.turns else None
        for lane in turn.lanes if turn is not None else []:
            if lane.state is LaneState.STREAMING and lane in self.views:
                self.views[lane].interrupting()
        self.workers.cancel_group(self, "stream")

    async def stop_streams(self) -> None:
        """Cancel the answers streaming and wait until each has ended: a lane that ends after
        its view is gone (a new chat, another conversation) cannot show its end there."""
        stopping = self.workers.cancel_group(self, "stream")
        if stopping:
            await asyncio.gather(*(worker.wait() for worker in stopping), return_exceptions=True)

    async def _frame(self) -> None:
        """The frame clock's tick (screens/main.py CLOCK_S): the streaming lanes repaint when
        the pacer says a frame is due (15 a second, fewer while the process is busy)."""
        turn = self.session.turns[-1] if self.session.turns else None
        streaming = [lane for lane in turn.lanes if lane in self.views
                     and lane.state is LaneState.STREAMING] if turn else []
        if not streaming or turn is None:
            return
        now = monotonic()
        if not self._pacer.due(now, process_time()):
            # Between paced frames, a lane whose stream went quiet shows what it has now: the
            # end of an answer does not wait for the next frame (nor for the answer's save).
            streaming = [lane for lane in streaming if self.views[lane].quiet(now, QUIET_S)]
            if not streaming:
                return
        with self.app.batch_update():
            for lane in streaming:
                await self.views[lane].tick()
        self._frames += 1
        if self._frames % METRICS_EVERY == 0:
            for i, lane in enumerate(turn.lanes):
                if lane in streaming:
                    self.views[lane].show_metrics(metrics_for(
                        lane, self.session.label(i, lane.ref, turn.voted), self.deterministic,
                        blind=self.session.blind and not turn.voted))
            self._show_meter()

    @work(group="prices", exit_on_error=False)
    async def warm_prices(self) -> None:
        """Look up the prices of the models in use in a thread now, so no first lookup stalls
        a stream later: from genai-prices' compact table when it was asked before, else from
        its data (~17 MiB, loaded then). Free models (demo, local, this machine) ask nobody."""
        from llmtui.core.pricing.lookup import lookup_price

        runtime, models = self.runtime, list(self.session.models)

        def look_up() -> None:
            for ref in models:
                provider, _, model = ref.partition("/")
                lookup_price(runtime.config, provider, model)

        await asyncio.to_thread(look_up)

    @work(group="meter", exclusive=True, exit_on_error=False)
    async def refresh_meter(self) -> None:
        from llmtui.present.meter import collect
        from llmtui.present.send_price import conversation_note

        self._totals = await asyncio.to_thread(collect, self.runtime)
        cid = self.session.conversation_id
        self._meter_note = await asyncio.to_thread(conversation_note, self.runtime, cid)
        self._show_meter()

    def _show_meter(self) -> None:
        from llmtui.widgets.cost_meter import CostMeter, MeterFigures

        today, month, per, budgets = self._totals
        turn = self.session.turns[-1] if self.session.turns else None
        live = [lane.cost for lane in turn.lanes if lane.stats] if turn else []
        answer = add(live).display() if live else "$0"
        if turn is not None and self.session.blind and not turn.voted:
            answer = conversation = "after the vote"  # a blind round's cost names the model
        else:
            conversation = self.session.conversation_cost.display() if self.session.costs else "$0"
        for meter in self.query(CostMeter).results(CostMeter):  # none until boot has shown the rest
            if not meter.is_mounted:
                continue  # being mounted: the boot's refresh_meter shows the figures after it
            meter.show(MeterFigures(
                answer=answer, conversation=conversation, today=today, month=month,
                per_provider=per, budgets=budgets, note=self._meter_note,
                speeds=[] if self.deterministic else self.session.speeds[-30:]))
