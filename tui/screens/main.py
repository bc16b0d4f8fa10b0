"""The main screen: catalog | transcript + prompt | cost meter. Chat and compare alike.

The conversation itself is a `ChatSession` (llmtui.core.session): the screen keeps only
views, one MessageView per lane, and one `stream_reply` worker per lane shows what the
session's stream yields. A chat is compare with one lane.

Longer than ~350 lines because it is the app's one working screen: layout and start-up,
the per-lane stream workers and frame tick, and the key actions (copy, edit, rerun,
compare, vote, branches), each a few lines that call the session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from llmtui.core.attachments import AttachmentError, label, load, shown
from llmtui.core.config import load_settings
from llmtui.core.pricing.cost import add
from llmtui.core.session import ChatSession, Lane, LaneState, Turn
from llmtui.core.starter import StartOptions, first_models, offline_note, resume_id
from llmtui.present.remedies import KEYS_BINDING, binding_key, error_text
from llmtui.present.turns import (
    faster_measure,
    last_code_block,
    metrics_for,
    model_bar,
    shown_prompt,
    stored_view,
    switch_notice,
    turn_marks,
    turn_note,
)
from llmtui.providers.base import Notice, ReasoningDelta, StreamDone, StreamError, TextDelta
from llmtui.providers.parts import Part
from llmtui.screens.attach_file import AttachFileScreen
from llmtui.widgets.app_footer import AppFooter
from llmtui.widgets.attachment_chips import AttachmentChips
from llmtui.widgets.compare_lanes import CompareLanes, LanePane
from llmtui.widgets.cost_meter import BudgetBar, CostMeter, MeterFigures
from llmtui.widgets.history_off_banner import HistoryOffBanner
from llmtui.widgets.message_view import MessageView
from llmtui.widgets.model_catalog import CatalogRow, ModelCatalog
from llmtui.widgets.prompt_input import PromptInput
from llmtui.widgets.thinking_block import Mode as ThinkingMode
from llmtui.widgets.thinking_block import next_mode, saved_mode
from llmtui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from textual.timer import Timer

    from llmtui.core.history_off import StoreProblem
    from llmtui.core.runtime import Runtime

FRAME_S = 1 / 15
"""One repaint per frame for every streaming column; figures every METRICS_EVERY frames."""
METRICS_EVERY = 4


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Stop", id="chat.cancel", tooltip="Stop the answer(s) streaming"),
        Binding("ctrl+n", "new_chat", "New", id="chat.new", tooltip="Start a new conversation"),
        Binding("ctrl+y", "copy_answer", "Copy", id="chat.copy", priority=True,
                tooltip="Copy the last answer"),
        Binding("ctrl+b", "copy_code", "Copy code", id="chat.copy_code", show=False,
                tooltip="Copy the last code block"),
        Binding("ctrl+r", "rerun", "Rerun on…", id="chat.rerun",
                tooltip="Send the last prompt to another model"),
        Binding("ctrl+up", "edit_prompt", "Edit prompt", id="chat.edit", show=False,
                tooltip="Edit an earlier prompt and resend (a branch)"),
        Binding("ctrl+g", "compare", "Compare", id="chat.compare",
                tooltip="Compare with another model, or back to one"),
        # Priority: a terminal's alt+r carries an "r", which the prompt box would type.
        Binding("alt+r", "search_prompts", "Search prompts", id="chat.search_prompts", show=False,
                priority=True, tooltip="Search the prompts you sent, in every conversation"),
        Binding("ctrl+f", "find_model", "Models", id="chat.find_model", show=False,
                tooltip="Filter the catalog"),
        Binding("f2", "attach", "Attach", id="chat.attach", show=False,
                tooltip="Attach a file (an image or a text file) to the next prompt"),
        Binding("f3", "cycle_thinking", "Thinking", id="chat.thinking", show=False,
                tooltip="Models' thinking: show / collapse / hide (saved)"),
        # Priority, as alt+r: a terminal's alt+t carries a "t" the prompt box would type.
        Binding("alt+t", "reasoning", "Effort", id="chat.reasoning", show=False, priority=True,
                tooltip="How hard the model thinks from the next send: effort or budget"),
        Binding("f8", "branches", "Branches", id="chat.branches", show=False,
                tooltip="Show the earlier answers an edit or rerun kept"),
        # Priority, as the prompt's TextArea binds f6/f7; only live while a vote is open.
        Binding("f5", "vote('a')", "A better", id="vote.a", priority=True),
        Binding("f6", "vote('b')", "B better", id="vote.b", priority=True),
        Binding("f7", "vote('tie')", "Tie", id="vote.tie", priority=True),
        Binding("f9", "vote('both_bad')", "Both bad", id="vote.both_bad", priority=True),
        Binding("f10", "next_lane", "Next lane", id="chat.next_lane", show=False,
                tooltip="Move to the next compare lane (the one shown, when narrow)"),
        Binding("f4", "diff", "Diff", id="chat.diff", show=False,
                tooltip="Word diff of two compare lanes' last answers"),
    ]

    def __init__(self, runtime: Runtime, start: StartOptions, *, deterministic: bool = False) -> None:
        super().__init__()
        self.runtime = runtime
        self.start = start
        self.deterministic = deterministic
        self.session = ChatSession(runtime, system=runtime.config.defaults.system)
        self.views: dict[Lane, MessageView] = {}
        self.catalog_entries: list[CatalogRow] = []
        self.booted = asyncio.Event()
        self._editing: Turn | None = None
        self._reviewed: set[Path] = set()
        """Files the draft's `@path` words named, already offered as chips (or refused)."""
        self._frames = 0
        self.thinking_mode: ThinkingMode = "collapse"
        """How models' thinking shows: show / collapse / hide (F3; saved in settings)."""
        self._totals: tuple[str, str, list[tuple[str, str]], list[BudgetBar]] = ("$0", "$0", [], [])
        self._meter_note = ""
        self._price_timer: Timer | None = None
        self._lane_focus: int | None = None
        """The compare lane that has (or last had) the focus on this screen; None: elsewhere."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Static("Models", classes="pane-title")
            with Vertical(id="centre"):
                yield Static("starting…", id="model-bar")
                yield Transcript(id="transcript")
                yield AttachmentChips(id="chips")
                lanes = CompareLanes(id="lanes")
                lanes.display = False  # until a compare: boot picks the layout
                yield lanes
                yield PromptInput(id="prompt")
        # The catalog, cost meter and footer are mounted just after the first paint
        # (`_mount_side_panes`): every widget in the first frame costs its style pass.

    def on_mount(self) -> None:
        prompt = self.query_one(PromptInput)
        prompt.focus()
        prompt.cursor_blink = not self.deterministic  # a blinking cursor makes snapshots flaky
        self.set_interval(FRAME_S, self._frame)
        self.call_after_refresh(self._mount_side_panes)

    async def _mount_side_panes(self) -> None:
        meter = CostMeter(id="meter")
        send_price = Static("", id="send-price", classes="muted")
        send_price.display = False
        with self.app.batch_update():
            await self.query_one("#left").mount(ModelCatalog(id="catalog"))
            await self.query_one("#centre").mount(send_price, after=self.query_one(PromptInput))
            await self.query_one("#panes").mount(meter)
            await self.mount(AppFooter())
        meter.show(MeterFigures())
        self.boot()

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

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.app.post_message(event)  # it does not bubble; the app reports a failed one

    # ------------------------------------------------------------ start-up (after first paint)

    @work(group="boot", exit_on_error=False)
    async def boot(self) -> None:
        runtime, start = self.runtime, self.start

        def open_store_and_warm_imports() -> int | None:
            # Off the event loop, after the first paint: the store and the modules every
            # first answer needs (HTTP client, the OpenAI dialect, the exchange, Markdown).
            import httpx  # noqa: F401
            import rich.markdown  # noqa: F401

            import llmtui.core.exchange  # noqa: F401
            import llmtui.providers.openai_compat  # noqa: F401

            return resume_id(runtime, start)

        from llmtui.core.history_off import STORE_ERRORS

        try:
            resume = await asyncio.to_thread(open_store_and_warm_imports)
            # ↑ in an empty prompt recalls earlier prompts, this session's and the store's.
            prompts = await asyncio.to_thread(runtime.store.recent_prompts)
        except STORE_ERRORS as exc:  # damaged, locked, not a database: go on without history
            await asyncio.to_thread(runtime.lose_history, exc)
            resume, prompts = None, []
        self.query_one(PromptInput).set_history(prompts)
        self.thinking_mode = saved_mode(await asyncio.to_thread(load_settings))
        if resume is not None and await self.open_conversation(resume):
            self._booted()
            return
        if start.resume is not None and resume is None and runtime.history_off is None:
            self.notify("No stored conversation yet: starting a new one.")
        if start.preset is not None:
            self.session.use_preset(runtime.config.preset(start.preset))
            self.session.new_chat()
        models = await asyncio.to_thread(first_models, runtime, start)
        self.session.switch(models, blind=start.blind)
        self._show_model_bar()
        await self._show_layout()
        if runtime.history_off is not None:
            await self.show_history_off(runtime.history_off)
            if start.resume is not None:
                self.notify("History is off: no stored conversation can be reopened.",
                            severity="warning")
        note = None if start.model or start.compare else offline_note(models[0])
        if note:
            await self.transcript.show_hint(
                f"No API key found: chatting with {models[0]} ({note}). "
                f"Press {binding_key(self.app, KEYS_BINDING) or 'ctrl+k'} to add a key, "
                "or pick a model on the left.")
        self._booted()
        if start.prompt:
            await self._send(start.prompt)

    async def show_history_off(self, problem: StoreProblem) -> None:
        """No-history mode: the banner above the conversation, the repair in the transcript."""
        if self.query("#history-off"):
            return
        await self.query_one("#centre").mount(HistoryOffBanner(problem.banner()), before=0)
        await self.transcript.show_hint(problem.hint())

    def _booted(self) -> None:
        self.booted.set()
        self.warm_prices()
        self.load_catalog()
        self.refresh_meter()

    def _show_model_bar(self) -> None:
        session = self.session
        thinking = [session.choice_for(ref).label for ref in session.models]
        self.query_one("#model-bar", Static).update(model_bar(session.models, session.blind, thinking))
        self.query_one(CompareLanes).set_notes(thinking)  # blind: one setting, the same on both

    @work(group="prices", exit_on_error=False)
    async def warm_prices(self) -> None:
        """Load price data in a thread now, so no first lookup stalls a stream later.

        Skipped while every model in use is free (demo, local, a server on this machine):
        the bundled price data costs ~16 MiB of memory that those never need.
        """
        from llmtui.core.pricing.genai import warm_price_data
        from llmtui.core.pricing.lookup import lookup_price

        runtime, models = self.runtime, list(self.session.models)

        def all_free() -> bool:
            for ref in models:
                provider, _, model = ref.partition("/")
                price = lookup_price(runtime.config, provider, model)
                if price is None or price.input != 0 or price.output != 0:
                    return False
            return bool(models)

        if not await asyncio.to_thread(all_free):
            await warm_price_data()

    @work(group="models", exclusive=True, exit_on_error=False)
    async def load_catalog(self, refresh: bool = False) -> None:
        from llmtui.present.catalog_rows import cached_entries, load_entries

        catalog = self.query_one(ModelCatalog)
        if not catalog.entries:
            cached = await cached_entries(self.runtime)
            if cached:
                catalog.set_entries(cached)
        self.catalog_entries = await load_entries(self.runtime, refresh=refresh)
        catalog.set_entries(self.catalog_entries)

    @work(group="meter", exclusive=True, exit_on_error=False)
    async def refresh_meter(self) -> None:
        from llmtui.present.meter import collect
        from llmtui.present.send_price import conversation_note

        self._totals = await asyncio.to_thread(collect, self.runtime)
        self._meter_note = await asyncio.to_thread(conversation_note, self.runtime,
                                                   self.session.conversation_id)
        self._show_meter()

    @on(PromptInput.Changed)
    def _draft_changed(self) -> None:
        """The price of Enter, a moment after typing stops (not on every key)."""
        if self._price_timer is not None:
            self._price_timer.stop()
        self._price_timer = self.set_timer(0.3, self.refresh_send_price)

    @work(group="send-price", exclusive=True, exit_on_error=False)
    async def refresh_send_price(self) -> None:
        from llmtui.present.send_price import send_price

        draft = self.query_one(PromptInput).text
        session = self.session
        histories = [session.history(ref) for ref in session.models]
        text = await asyncio.to_thread(send_price, self.runtime, list(session.models), histories,
                                       session.system, draft, max_tokens=session.max_tokens,
                                       controls=[session.controls(ref) for ref in session.models],
                                       parts=tuple(self.query_one(AttachmentChips).parts),
                                       blind=session.blind)
        for line in self.query("#send-price").results(Static):
            line.update(Text(text))
            line.display = bool(text)

    def _show_meter(self) -> None:
        today, month, per, budgets = self._totals
        turn = self.session.turns[-1] if self.session.turns else None
        live = [lane.cost for lane in turn.lanes if lane.stats] if turn else []
        answer = add(live).display() if live else "$0"
        if turn is not None and self.session.blind and not turn.voted:
            answer = conversation = "after the vote"  # a blind round's cost names the model
        else:
            conversation = self.session.conversation_cost.display() if self.session.costs else "$0"
        self.query_one(CostMeter).show(MeterFigures(
            answer=answer,
            conversation=conversation,
            today=today, month=month, per_provider=per, budgets=budgets,
            speeds=[] if self.deterministic else self.session.speeds[-30:], note=self._meter_note,
        ))

    # ------------------------------------------------------------ sending

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        if self.session.streaming:
            self._keep_draft(event)
            self.notify("Still answering; press Esc to stop it first.", severity="warning")
            return
        await self.booted.wait()
        text = await self._take_attachments(event)
        if text is None:
            return
        editing, self._editing = self._editing, None
        if editing is not None and editing in self.session.turns:
            await self.transcript.truncate_from(self.session.turns.index(editing))
            await self._show_turn(await self.session.edit(editing, text))
        else:
            await self._send(text)

    @on(PromptInput.HelpRequested)
    async def _help(self) -> None:
        await self.app.run_action("help")

    async def _send(self, prompt: str) -> None:
        chips: AttachmentChips[Part] = self.query_one(AttachmentChips)
        parts = tuple(chips.parts)  # the same files go to every lane of a compare
        await chips.clear()
        self._reviewed.clear()
        await self._show_turn(await self.session.send(prompt, parts=parts))

    async def _take_attachments(self, event: PromptInput.Submitted) -> str | None:
        """The prompt to send, exactly as typed; None when it stops for the user instead: a
        prompt that is only a path attaches that file (or says it is missing), and new `@path`
        words become chips to review first (core/mentions.py has the rule)."""
        from llmtui.core.mentions import lone_path, mentions

        base = Path.cwd()
        alone = lone_path(event.text, base)
        if alone is not None:
            if isinstance(alone, AttachmentError):
                self._keep_draft(event)
                self.notify(str(alone), severity="error", markup=False)
            elif await self._attach_file(alone):
                self.notify("Attached; now type the prompt to send with it.")
            else:
                self._keep_draft(event)
            return None
        new = [m for m in mentions(event.text, base) if m.path not in self._reviewed]
        if not new:
            return event.text
        self._reviewed.update(m.path for m in new)  # asked once per draft: Enter again sends
        self._keep_draft(event)
        for mention in new:
            if mention.problem is not None:
                self.notify(mention.problem, severity="warning", markup=False)
            elif await self._attach_file(mention.path):
                self.notify(f"Attached {shown(mention.path.name)} from {shown(mention.word)}: check the "
                            "chips above; Enter sends.", markup=False)
        return None

    def _keep_draft(self, event: PromptInput.Submitted) -> None:
        if not event.input.text:
            event.input.text = event.text  # the input cleared itself; nothing is lost

    async def _attach_file(self, path: Path) -> bool:
        try:
            part = await asyncio.to_thread(load, path)
        except AttachmentError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        await self.query_one(AttachmentChips).add(part, label(part))
        return True

    @on(AttachmentChips.Changed)
    def _chips_changed(self) -> None:
        self.query_one(PromptInput).focus()  # a removed chip must not leave focus adrift
        self.refresh_send_price()  # the chips go with Enter: they are in its price

    @work(group="attach", exclusive=True)
    async def action_attach(self) -> None:
        path = await self.app.push_screen_wait(AttachFileScreen(Path.cwd()))
        if path is not None:
            await self._attach_file(path)
        self.query_one(PromptInput).focus()

    async def _show_turn(self, turn: Turn) -> None:
        """Mount the turn's views and start one stream worker per lane."""
        if self.runtime.history_off is not None:  # the store failed as the prompt was saved
            await self.show_history_off(self.runtime.history_off)
        titles = [self.session.label(i, lane.ref) for i, lane in enumerate(turn.lanes)]
        widget = await self.transcript.add_turn(shown_prompt(turn), titles, note=turn_note(turn))
        for index, (lane, view) in enumerate(zip(turn.lanes, widget.views, strict=True)):
            self.views[lane] = view
            view.set_reasoning_mode(self.thinking_mode)
            view.start()
            self.stream_reply(turn, index)
        self._show_meter()  # this turn's figures from the start (hidden in a blind round)

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
                    reason = "" if hidden else f": {event.reason}"  # the provider's text names it
                    view.show_notice(
                        f"↻ retrying in {event.wait_s:.1f}s (attempt {event.attempt + 1}){reason}")
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
                    view.show_notice(warned)
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
                if lane.hidden_notice:
                    self.views[lane].show_notice(lane.hidden_notice, failed=True)
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

    async def _frame(self) -> None:
        turn = self.session.turns[-1] if self.session.turns else None
        streaming = [lane for lane in turn.lanes if lane in self.views
                     and lane.state is LaneState.STREAMING] if turn else []
        if not streaming or turn is None:
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

    # ------------------------------------------------------------ actions

    def action_cancel(self) -> None:
        if self.session.streaming:
            self.workers.cancel_group(self, "stream")
        elif self._editing is not None:
            self._editing = None
            self.query_one(PromptInput).clear()
            self.notify("Edit cancelled.")

    async def action_new_chat(self) -> None:
        if self.session.streaming:
            self.notify("Stopped the answer in progress; what arrived is saved, marked interrupted.")
        await self.new_chat()
        models = " vs ".join(self.session.models)
        self.notify(f"New conversation with {models}.", markup=False)

    async def new_chat(self) -> None:
        self.workers.cancel_group(self, "stream")
        self.session.new_chat()
        self.views.clear()
        self._editing = None
        await self.transcript.clear_turns()
        self.refresh_meter()

    async def apply_preset(self, name: str) -> None:
        """Use a preset: a new conversation with its system prompt, model and sampling."""
        preset = self.runtime.config.preset(name)
        self.session.use_preset(preset)
        if preset.model:
            self.session.switch([preset.model])
            self._show_model_bar()
            self.warn_if_keyless(preset.model)
        await self.new_chat()
        self.notify(f"Preset {name}: a new conversation" + (f" with {preset.model}" if preset.model
                    else "") + ".", markup=False)

    async def forget_if_deleted(self) -> None:
        """After History: if the open conversation was deleted there, start a clean new one."""
        cid = self.session.conversation_id
        if cid is not None and await asyncio.to_thread(self.runtime.store.conversation, cid) is None:
            await self.new_chat()
            self.notify("The open conversation was deleted: this is a new one.")

    def action_copy_answer(self) -> None:
        text = self.session.last_answer()
        if text is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        from llmtui.clipboard import copy

        copy(self.app, text, "the last answer")

    def action_copy_code(self) -> None:
        text = self.session.last_answer()
        block = last_code_block(text) if text else None
        if block is None:
            self.notify("The last answer has no code block.", severity="warning")
            return
        from llmtui.clipboard import copy

        copy(self.app, block, "the last code block")

    def action_find_model(self) -> None:
        if self.has_class("-narrow"):  # the catalog is hidden: typing into it would be blind
            self.pick_model("Chat with…", self._picked_in_modal)
            return
        self.query_one(ModelCatalog).focus_filter()

    async def _picked_in_modal(self, ref: str | None) -> None:
        if ref:
            self.post_message(ModelCatalog.Chosen(ref))

    @work(group="key-warning", exclusive=True, thread=True, exit_on_error=False)
    def warn_if_keyless(self, ref: str) -> None:
        """Picking a model whose provider has no key says so now, not after the first send."""
        from llmtui.core.keys import keyless_warning

        text = keyless_warning(self.runtime, ref)
        if text:
            self.app.call_from_thread(self.notify, text, severity="warning", markup=False, timeout=8)

    def action_search_prompts(self) -> None:
        from llmtui.screens.prompt_search import PromptSearchScreen

        if self.booted.is_set():  # the store opens in boot
            self.app.push_screen(PromptSearchScreen(self.runtime.store), self.query_one(PromptInput).put)

    def action_edit_prompt(self) -> None:
        turns = self.session.turns
        if self.session.streaming or not turns:
            self.notify("Still answering." if turns else "Nothing to edit yet.", severity="warning")
            return
        index = (turns.index(self._editing) if self._editing in turns else len(turns)) - 1
        if index < 0:
            self.notify("That was the first prompt.", severity="warning")
            return
        self._editing = turns[index]
        prompt_input = self.query_one(PromptInput)
        prompt_input.text = turns[index].prompt
        prompt_input.focus()
        self.notify(f"Editing prompt {index + 1} of {len(turns)}: Enter resends as a branch "
                    "(the old answer is kept); Esc cancels.")

    def action_rerun(self) -> None:
        if self.session.streaming or not self.session.turns:
            self.notify("Still answering." if self.session.turns else "Nothing to rerun yet.",
                        severity="warning")
            return
        self.pick_model("Rerun the last prompt on…", self._rerun_on)

    async def _rerun_on(self, ref: str | None) -> None:
        if ref:
            await self.transcript.truncate_from(len(self.session.turns) - 1)
            turn = await self.session.rerun(ref)
            self._show_model_bar()
            await self._show_layout()
            await self._show_turn(turn)

    def action_branches(self) -> None:
        from llmtui.screens.branches import BranchesScreen

        turn = next((t for t in reversed(self.session.turns) if t.earlier), None)
        if turn is None:
            self.notify("No earlier answers kept: an edit (ctrl+↑) or rerun (ctrl+r) keeps one.")
            return
        self.app.push_screen(BranchesScreen(turn, self.deterministic))

    def pick_model(self, title: str, then: Callable[[str | None], Awaitable[None]]) -> None:
        from llmtui.screens.model_picker_modal import ModelPickerScreen

        self.app.push_screen(ModelPickerScreen(title, self.catalog_entries), then)

    def action_compare(self) -> None:
        models = self.session.models
        if len(models) >= 2:
            self.run_worker(self.switch_to([models[0]]))
            return
        self.pick_model(f"Compare {models[0] if models else ''} with…", self._compare_with)

    async def _compare_with(self, ref: str | None) -> None:
        if ref and len(self.session.models) >= 2:
            await self.add_lane(ref)
        elif ref:
            await self.switch_to([self.session.models[0], ref])

    def action_blind_compare(self) -> None:
        self.pick_model("Blind compare with…", self._blind_compare_with)

    async def _blind_compare_with(self, ref: str | None) -> None:
        if ref:
            await self.switch_to([self.session.models[0], ref], blind=True)

    async def switch_to(self, models: list[str], *, blind: bool = False) -> None:
        """Talk to other model(s): the conversation goes on unless blind state changes."""
        if self.session.streaming:
            self.notify("Still answering; press Esc to stop it first.", severity="warning")
            return
        before = list(self.session.models)
        goes_on = self.session.switch(models, blind=blind)
        self._show_model_bar()
        await self._show_layout()
        if not goes_on:
            self.views.clear()
            await self.transcript.clear_turns()
            self.refresh_meter()
        elif self.session.turns:
            await self._redraw()
        self.notify(switch_notice(self.session, goes_on), markup=False)
        for ref in models:
            if ref not in before:
                self.warn_if_keyless(ref)  # M15: a keyless pick warns now, not after the first send
        self.warm_prices()

    @on(ModelCatalog.Chosen)
    async def _model_chosen(self, event: ModelCatalog.Chosen) -> None:
        self.query_one(PromptInput).focus()
        await self.switch_to([event.ref])

    @on(ModelCatalog.CompareRequested)
    async def _compare_requested(self, event: ModelCatalog.CompareRequested) -> None:
        self.query_one(PromptInput).focus()
        await self._compare_with(event.ref)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vote":
            # Shown while a vote is open; still live after one (or on a failed round), so
            # the key says why it does nothing instead of nothing at all.
            turn = self.session.turns[-1] if self.session.turns else None
            return turn is not None and len(turn.lanes) == 2 and not turn.streaming
        if action in ("next_lane", "diff"):
            return len(self.session.models) >= 2
        return True

    async def action_vote(self, choice: str) -> None:
        from llmtui.present.arena import verdict

        problem = self.session.vote_problem()
        if problem is not None:
            self.notify(problem, severity="warning")
            return
        turn = self.session.turns[-1]
        vote = await self.session.vote(choice)
        self.refresh_bindings()
        self._reveal(turn)
        self._turn_finished(turn)
        self.notify(f"Vote saved. {verdict(vote)}", markup=False)

    # ------------------------------------------------------------ lanes

    async def add_lane(self, ref: str) -> None:
        """One more model beside the ones in play (up to four; not in a blind compare)."""
        from llmtui.core.session import MAX_MODELS

        models = self.session.models
        if ref in models:
            self.notify(f"{ref} is already in this compare.", markup=False)
        elif self.session.blind:
            self.notify("A blind compare is two models; ctrl+g leaves it.", severity="warning")
        elif len(models) >= MAX_MODELS:
            self.notify(f"Compare holds {MAX_MODELS} models: remove one first (ctrl+p).",
                        severity="warning")
        else:
            await self.switch_to([*models, ref])

    async def remove_lane(self, index: int | None = None) -> None:
        """Drop a model from the compare (the focused lane's, by default)."""
        models = list(self.session.models)
        if len(models) < 2:
            self.notify("Not comparing: there is no lane to remove.", severity="warning")
            return
        at = self._lane_focus if index is None else index
        if at is None:  # focus in the catalog or the prompt: no lane is meant
            self.notify("Focus a lane first (F10 or a click), then remove it: no lane removed.",
                        severity="warning")
            return
        del models[min(at, len(models) - 1)]
        await self.switch_to(models)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = next((w for w in event.widget.ancestors_with_self if isinstance(w, LanePane)), None)
        self._lane_focus = None if pane is None else pane.index

    def action_remove_lane(self) -> None:
        self.run_worker(self.remove_lane())

    def action_next_lane(self) -> None:
        if len(self.session.models) >= 2:
            self.query_one(CompareLanes).next_lane()

    async def action_diff(self) -> None:
        from llmtui.core.word_diff import word_diff
        from llmtui.present.arena import diff_side

        lanes = self.query_one(CompareLanes)
        turn = self.session.turns[-1] if self.session.turns else None
        if len(self.session.models) < 2 or turn is None or turn.streaming or len(turn.lanes) < 2:
            self.notify("A word diff needs a finished compare turn.", severity="warning")
            return
        if lanes.diffing is not None:
            await lanes.hide_diff()
            return
        first, second = lanes.diff_pair()
        diff = word_diff(turn.lanes[first].text, turn.lanes[second].text)
        if diff is None:
            self.notify("These answers are too long to diff.", severity="warning")
            return
        titles = [p.title for p in lanes.panes]
        await lanes.show_diff((first, second), diff_side(diff.left, titles[second], diff.similarity),
                              diff_side(diff.right, titles[first], diff.similarity))

    async def action_runs(self) -> None:
        """The last prompt N times on every model in play: the spread of TTFT, tok/s, cost."""
        from llmtui.screens.modals import TextInputModal

        if not self.session.turns:
            self.notify("Send a prompt first: this repeats the last one.", severity="warning")
            return
        if self.session.blind:
            self.notify("Repeat runs name the models: leave the blind compare first (ctrl+g).",
                        severity="warning")
            return
        self.app.push_screen(TextInputModal("Repeat the last prompt how many times?", value="5",
                                            hint="1 to 100; every model in play, one round "
                                                 "after another"), self._runs)

    async def _runs(self, answer: str | None) -> None:
        from llmtui.core.batch import Settings
        from llmtui.screens.runs import RunsScreen

        if not answer:
            return
        try:
            runs = int(answer.strip())
        except ValueError:
            runs = 0
        if not 1 <= runs <= 100:
            self.notify("Give a number from 1 to 100.", severity="warning")
            return
        session = self.session
        self.app.push_screen(RunsScreen(self.runtime, session.models, session.turns[-1].prompt,
                                        runs, Settings(session.system, session.temperature,
                                                       session.max_tokens)))

    # ------------------------------------------------------------ stored conversations

    async def _redraw(self) -> None:
        """Draw the conversation so far into the transcript in use (after a change of layout)."""
        self.views.clear()
        turns = [stored_view(turn, lambda _i, ref: ref, self.deterministic,  # names show
                             self.thinking_mode)
                 for turn in self.session.turns if not turn.streaming]
        await self.transcript.load(turns)

    async def open_conversation(self, conversation_id: int) -> bool:
        """Show a stored conversation and continue it; False if it does not exist."""
        from llmtui.core.history_off import STORE_ERRORS, problem_of

        self.workers.cancel_group(self, "stream")
        try:
            found = await self.session.reopen(conversation_id)
        except STORE_ERRORS as exc:  # a damaged page in this conversation: say so, go on
            problem = problem_of(exc, self.runtime.store.path)
            self.notify(f"Conversation {conversation_id} cannot be read: the store {problem.reason}. "
                        f"To repair: {problem.repair}", severity="error", markup=False)
            return False
        if not found:
            self.notify(f"Conversation {conversation_id} is gone.", severity="error")
            return False
        self.views.clear()
        self._editing = None
        self._show_model_bar()
        await self._show_layout()
        await self._redraw()
        self._apply_thinking_mode()
        self.refresh_meter()
        return True

    # ------------------------------------------------------------ thinking

    def action_cycle_thinking(self) -> None:
        """show -> hide -> collapse: every answer's thinking block follows, and it is saved."""
        from llmtui.core.config import save_settings

        self.thinking_mode = next_mode(self.thinking_mode)
        self._apply_thinking_mode()
        self.notify(f"Thinking: {self.thinking_mode}", timeout=2)
        self.run_worker(asyncio.to_thread(save_settings, {"thinking": self.thinking_mode}),
                        group="settings", exit_on_error=False)

    @work(group="reasoning", exclusive=True, exit_on_error=False)
    async def action_reasoning(self) -> None:
        """alt+t: effort or budget from the next send, for the focused lane (a blind compare: both)."""
        from llmtui.screens.reasoning_picker import pick_for

        lane = self.query_one(CompareLanes).active if len(self.session.models) >= 2 else 0
        if await pick_for(self.app, self.session, lane) is not None:
            self._show_model_bar()
            self.refresh_send_price()
        self.query_one(PromptInput).focus()

    def _apply_thinking_mode(self) -> None:
        for view in self.query(MessageView):
            view.set_reasoning_mode(self.thinking_mode)

