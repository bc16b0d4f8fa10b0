"""The main screen: catalog | transcript + prompt | cost meter. Chat and compare alike.

A chat is compare with one lane: every turn mounts one MessageView per model, and
one `stream_reply` worker per lane runs an Exchange; both stream at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from llmtui.core.pricing.cost import add
from llmtui.messages import SpendChanged
from llmtui.present.remedies import KEYS_BINDING, binding_key, error_text
from llmtui.present.turns import Lane, TurnRecord, last_code_block, metrics_for, stored_turns
from llmtui.providers.base import ChatMessage, Notice, StreamDone, StreamError, TextDelta
from llmtui.widgets.cost_meter import BudgetBar, CostMeter, MeterFigures
from llmtui.widgets.model_catalog import ModelCatalog
from llmtui.widgets.prompt_input import PromptInput
from llmtui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from llmtui.app import LlmApp
    from llmtui.core.config import Preset
    from llmtui.core.pricing.cost import Cost

T = TypeVar("T")

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
        Binding("ctrl+f", "find_model", "Models", id="chat.find_model", show=False,
                tooltip="Filter the catalog"),
        # Priority, as the prompt's TextArea binds f6/f7; only live while a vote is open.
        Binding("f5", "vote('a')", "A better", id="vote.a", priority=True),
        Binding("f6", "vote('b')", "B better", id="vote.b", priority=True),
        Binding("f7", "vote('tie')", "Tie", id="vote.tie", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.models: list[str] = []
        self.blind = False
        self.conversation_id: int | None = None
        self.system_prompt: str | None = None
        self.preset: Preset | None = None  # [presets.NAME] in use: system, model, sampling
        """The system prompt of this conversation (config default for a new one)."""
        self.histories: list[list[ChatMessage]] = [[]]
        self.records: list[TurnRecord] = []
        self.costs: list[Cost] = []
        self.speeds: list[float] = []
        self.booted = asyncio.Event()
        self._edit_index: int | None = None
        self._frames = 0
        self._totals: tuple[str, str, list[tuple[str, str]], list[BudgetBar]] = ("$0", "$0", [], [])

    @property
    def llm(self) -> LlmApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Static("Models", classes="pane-title")
            with Vertical(id="centre"):
                yield Static("starting…", id="model-bar")
                yield Transcript(id="transcript")
                yield PromptInput(id="prompt")
        # The catalog, cost meter and footer are mounted just after the first paint
        # (`_mount_side_panes`): start-up is a feature, and every widget in the first frame
        # costs its style pass before anything shows.

    def on_mount(self) -> None:
        prompt = self.query_one(PromptInput)
        prompt.focus()
        if self.llm.deterministic:
            prompt.cursor_blink = False  # a blinking cursor makes snapshots flaky
        self.set_interval(FRAME_S, self._frame)
        self.call_after_refresh(self._mount_side_panes)

    async def _mount_side_panes(self) -> None:
        meter = CostMeter(id="meter")
        with self.app.batch_update():
            await self.query_one("#left").mount(ModelCatalog(id="catalog"))
            await self.query_one("#panes").mount(meter)
            await self.mount(Footer())
        meter.show(MeterFigures())
        self.boot()

    # ------------------------------------------------------------ start-up (after first paint)

    @work(group="boot", exit_on_error=False)
    async def boot(self) -> None:
        app = self.llm
        runtime = app.runtime

        def open_store_and_warm_imports() -> None:
            # Off the event loop, after the first paint: the modules every first answer needs
            # (HTTP client, the OpenAI dialect, the exchange runner, Markdown rendering).
            runtime.store  # noqa: B018 - opening it is the point
            import httpx  # noqa: F401
            import rich.markdown  # noqa: F401

            import llmtui.core.exchange  # noqa: F401
            import llmtui.providers.openai_compat  # noqa: F401

        try:
            await asyncio.to_thread(open_store_and_warm_imports)
            # ↑ in an empty prompt recalls earlier prompts, this session's and the store's.
            self.query_one(PromptInput).set_history(await asyncio.to_thread(runtime.store.recent_prompts))
        except Exception as exc:  # noqa: BLE001 - a broken store: one line and exit 2, as the CLI does
            from llmtui import paths

            # The result, not an exit message: Rich would wrap a long path over lines.
            app.exit(result=f"llmtui: error: {paths.store_file()}: cannot open the store: {exc}",  # type: ignore[arg-type]
                     return_code=2)
            return
        if app.start_resume is not None:
            resume: int | str | None = app.start_resume
            if resume == "last":
                resume = await asyncio.to_thread(runtime.store.last_conversation_id)
            if isinstance(resume, int) and await self.open_conversation(resume):
                self.booted.set()
                self.warm_prices()
                self.load_catalog()
                return
            if resume is None:
                self.notify("No stored conversation yet: starting a new one.")
        self.system_prompt = runtime.config.defaults.system
        if app.start_preset is not None:
            self.preset = runtime.config.preset(app.start_preset)
            self.system_prompt = self.preset.system or self.system_prompt
        hint = ""
        if app.start_compare:
            models = list(app.start_compare)
        elif app.start_model:
            models = [app.start_model]
        elif self.preset is not None and self.preset.model:
            models = [self.preset.model]
        else:
            from llmtui.core.starter import pick_default_model

            models = [await asyncio.to_thread(pick_default_model, runtime)]
            if models[0].startswith(("demo/", "local/")):
                what = "simulated answers" if models[0].startswith("demo/") else "runs on this machine"
                hint = (f"No API key found: chatting with {models[0]} ({what}). "
                        f"Press {binding_key(self.app, KEYS_BINDING) or 'ctrl+k'} to add a key, "
                        "or pick a model on the left.")
        self.set_models(models, blind=app.start_blind)
        if hint:
            await self.query_one(Transcript).show_hint(hint)
        self.booted.set()
        self.warm_prices()
        self.load_catalog()
        self.refresh_meter()
        if app.start_prompt:
            await self.send(app.start_prompt)

    def set_models(self, models: list[str], *, blind: bool = False) -> None:
        """Switch to chat (one model) or compare (two); a new conversation starts on send."""
        if models != self.models or blind != self.blind:
            self.conversation_id = None
            self.histories = [[] for _ in models]
            self.records = []
            self.costs = []
        self.models = models
        self.blind = blind and len(models) == 2
        self._show_model_bar()

    def _show_model_bar(self) -> None:
        text = Text()
        if len(self.models) == 2:
            text.append("compare ", style="bold reverse")
            if self.blind:
                text.append(" blind: Model A vs Model B — names shown after you vote (F5 A · F6 B · F7 tie)")
            else:
                text.append(f" A: {self.models[0]}  vs  B: {self.models[1]}")
        elif self.models:
            text.append("chat ", style="bold reverse")
            text.append(f" {self.models[0]}")
        self.query_one("#model-bar", Static).update(text)

    @work(group="prices", exit_on_error=False)
    async def warm_prices(self) -> None:
        """Load price data in a thread now, so no first lookup stalls a stream later.

        Skipped while every model in use is free (demo, local, a server on this machine):
        the bundled price data costs ~16 MiB of memory that those never need.
        """
        from llmtui.core.pricing.genai import warm_price_data
        from llmtui.core.pricing.lookup import lookup_price

        runtime = self.llm.runtime

        def all_free() -> bool:
            for ref in self.models:
                provider, _, model = ref.partition("/")
                price = lookup_price(runtime.config, provider, model)
                if price is None or price.input != 0 or price.output != 0:
                    return False
            return True

        if self.models:
            free: bool = await asyncio.to_thread(all_free)
            if free:
                return
        await warm_price_data()

    @work(group="models", exclusive=True, exit_on_error=False)
    async def load_catalog(self, refresh: bool = False) -> None:
        from llmtui.present.catalog_rows import cached_entries, load_entries

        catalog = self.query_one(ModelCatalog)
        if not catalog.entries:
            cached = await cached_entries(self.llm.runtime)
            if cached:
                catalog.set_entries(cached)
        entries = await load_entries(self.llm.runtime, refresh=refresh)
        self.llm.catalog_entries = entries
        self.query_one(ModelCatalog).set_entries(entries)

    @work(group="meter", exclusive=True, exit_on_error=False)
    async def refresh_meter(self) -> None:
        from llmtui.present.meter import collect

        self._totals = await asyncio.to_thread(collect, self.llm.runtime)
        self._show_meter()

    def _show_meter(self) -> None:
        today, month, per, budgets = self._totals
        current = self._current_costs()
        self.query_one(CostMeter).show(MeterFigures(
            answer=add(current).display() if current else "$0",
            conversation=add(self.costs).display() if self.costs else "$0",
            today=today, month=month, per_provider=per, budgets=budgets,
            speeds=[] if self.llm.deterministic else self.speeds[-30:],
        ))

    def _current_costs(self) -> list[Cost]:
        if not self.records:
            return []
        return [lane.stats.cost_now() for lane in self.records[-1].lanes if lane.stats]

    @on(SpendChanged)
    def _spend_changed(self) -> None:
        self.refresh_meter()

    # ------------------------------------------------------------ sending

    @property
    def streaming(self) -> bool:
        return bool(self.records) and any(lane.state == "" for lane in self.records[-1].lanes)

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        if self.streaming:
            self.notify("Still answering; press Esc to stop it first.", severity="warning")
            return
        await self.booted.wait()
        event.input.clear()
        if self._edit_index is not None:
            await self.resend_edited(event.text)
        else:
            await self.send(event.text)

    @on(PromptInput.HelpRequested)
    def _help(self) -> None:
        self.app.action_show_help_panel()

    def _label(self, lane: int, ref: str, voted: bool = False) -> str:
        if self.blind and not voted:
            return f"Model {'AB'[lane]}"
        return ref

    async def send(self, prompt: str, *, models: list[str] | None = None, branch_of: int | None = None,
                   histories: list[list[ChatMessage]] | None = None) -> None:
        """Mount a turn and start one stream per model."""
        from llmtui.core.exchange import Exchange

        runtime = self.llm.runtime
        models = models or self.models
        histories = histories if histories is not None else self.histories
        if self.conversation_id is None:
            self.conversation_id = await asyncio.to_thread(
                runtime.store.new_conversation, models, blind=self.blind, system=self.system_prompt,
                preset=self.preset.name if self.preset else None)
        user_id = await asyncio.to_thread(runtime.store.add_message, self.conversation_id, "user",
                                          prompt, parent_id=branch_of)
        titles = [self._label(i, ref) for i, ref in enumerate(models)]
        widget = await self.query_one(Transcript).add_turn(prompt, titles, branch=branch_of is not None)
        record = TurnRecord(prompt, user_id, widget, [list(h) for h in histories])
        self.records.append(record)
        defaults = runtime.config.defaults
        for lane, (ref, view) in enumerate(zip(models, widget.views, strict=True)):
            history = [*histories[lane], ChatMessage("user", prompt)]
            preset = self.preset
            temperature = _first(preset.temperature if preset else None, defaults.temperature)
            exchange = Exchange(runtime, ref, history, system=self.system_prompt, temperature=temperature,
                                max_tokens=_first(preset.max_tokens if preset else None, defaults.max_tokens),
                                conversation_id=self.conversation_id, lane=lane, parent_id=user_id)
            record.lanes.append(Lane(ref, view, exchange.stats))
            view.start()
            self.stream_reply(exchange, record, lane)

    @work(group="stream", exit_on_error=False)
    async def stream_reply(self, exchange: object, record: TurnRecord, index: int) -> None:
        from llmtui.core.exchange import Exchange, Retrying

        assert isinstance(exchange, Exchange)
        lane = record.lanes[index]
        view = lane.view
        task = asyncio.current_task()
        record_blind = self.blind and not record.voted
        warned = ""  # a Notice (usage ignored, answer not saved) stays on screen at the end
        events = exchange.run()
        try:
            async for event in events:
                if task is not None and task.cancelling():
                    # Python 3.11's wait_for can swallow a cancel; honour it here.
                    raise asyncio.CancelledError
                if isinstance(event, TextDelta):
                    view.feed(event.text)
                elif isinstance(event, Retrying):
                    # In a blind compare the provider's own message would name it.
                    reason = "" if record_blind else f": {event.reason}"
                    view.show_notice(
                        f"↻ retrying in {event.wait_s:.1f}s (attempt {event.attempt + 1}){reason}")
                elif isinstance(event, Notice):
                    warned = f"⚠ {event.text}"
                    view.show_notice(warned)
                elif isinstance(event, StreamError):
                    # Text that arrived stays, marked interrupted (as the store marks it).
                    lane.state = "interrupted" if exchange.stats.text else "error"
                    full = error_text(event, lambda binding: binding_key(self.app, binding))
                    if record_blind:
                        lane.hidden_notice = full
                        full = (f"⚠ {event.kind}: this answer failed "
                                "(the details name the model: shown after you vote)")
                    view.show_notice(f"{full} — {warned}" if warned else full, failed=True)
                elif isinstance(event, StreamDone):
                    lane.state = "done"
                    view.show_notice(warned)
        except asyncio.CancelledError:
            await events.aclose()  # the Exchange marks the stored answer interrupted
            lane.state = "interrupted"
            unsaved = exchange.stats.unsaved
            view.show_notice(f"interrupted — ⚠ {unsaved}" if unsaved else
                             "interrupted — the text so far is kept")
            await view.finish("interrupted")
            self._lane_finished(record, lane, exchange)
            raise
        except Exception as exc:  # noqa: BLE001 - never crash the app for one answer
            lane.state = "error"
            view.show_notice(f"⚠ unexpected error: {exc}", failed=True)
        if lane.state == "":
            lane.state = "error"
        await view.finish(lane.state)
        self._lane_finished(record, lane, exchange)

    def _lane_finished(self, record: TurnRecord, lane: Lane, exchange: object) -> None:
        stats = lane.stats
        assert stats is not None
        index = record.lanes.index(lane)
        if stats.text and index < len(self.histories) and self.records and record is self.records[-1]:
            self.histories[index] += [ChatMessage("user", record.prompt),
                                      ChatMessage("assistant", stats.text)]
        self.costs.append(stats.cost_now())
        if stats.tokens_per_s:
            self.speeds.append(stats.tokens_per_s)
        if all(other.state for other in record.lanes):
            self._turn_finished(record)
        if not (self.blind and not record.voted):
            # In a blind compare the per-provider spend would tell which model answered.
            self.post_message(SpendChanged())

    def _turn_finished(self, record: TurnRecord) -> None:
        masked = self.llm.deterministic
        marks: dict[int, set[str]] = {i: set() for i in range(len(record.lanes))}
        if len(record.lanes) == 2 and all(lane.state == "done" for lane in record.lanes):
            speeds = [lane.stats.tokens_per_s or 0 for lane in record.lanes]  # type: ignore[union-attr]
            if speeds[0] != speeds[1]:
                marks[speeds.index(max(speeds))].add("faster")
            costs = [lane.stats.cost_now().amount for lane in record.lanes]  # type: ignore[union-attr]
            if None not in costs and costs[0] != costs[1]:
                marks[costs.index(min(costs))].add("cheaper")  # type: ignore[type-var]
            if self.blind and not record.voted:
                self.notify("Which answer is better? F5: A · F6: B · F7: tie", timeout=6)
            self.refresh_bindings()
        for i, lane in enumerate(record.lanes):
            metrics = metrics_for(lane, self._label(i, lane.ref, record.voted), masked)
            lane.view.show_metrics(replace(metrics, faster="faster" in marks[i],
                                           cheaper="cheaper" in marks[i]))
        if not (self.blind and not record.voted):
            self.refresh_meter()  # per-provider spend would name the models before the vote

    async def _frame(self) -> None:
        if not self.records:
            return
        record = self.records[-1]
        streaming = [lane for lane in record.lanes if lane.state == ""]
        if not streaming:
            return
        with self.app.batch_update():
            for lane in streaming:
                await lane.view.tick()
        self._frames += 1
        if self._frames % METRICS_EVERY == 0:
            self._refresh_live(record)

    def _refresh_live(self, record: TurnRecord) -> None:
        for i, lane in enumerate(record.lanes):
            if lane.state == "":
                lane.view.show_metrics(metrics_for(lane, self._label(i, lane.ref, record.voted),
                                                   self.llm.deterministic))
        self._show_meter()

    # ------------------------------------------------------------ actions

    def action_cancel(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "stream")
        elif self._edit_index is not None:
            self._edit_index = None
            self.query_one(PromptInput).clear()
            self.notify("Edit cancelled.")

    async def action_new_chat(self) -> None:
        if self.streaming:
            self.notify("Stopped the answer in progress; what arrived is saved, marked interrupted.")
        self.workers.cancel_group(self, "stream")
        self.conversation_id = None
        defaults = self.llm.runtime.config.defaults
        self.system_prompt = (self.preset.system if self.preset else None) or defaults.system
        self.histories = [[] for _ in self.models]
        self.records = []
        self.costs = []
        await self.query_one(Transcript).clear_turns()
        self.refresh_meter()

    async def apply_preset(self, name: str) -> None:
        """Use a preset: a new conversation with its system prompt, model and sampling."""
        self.preset = self.llm.runtime.config.preset(name)
        if self.preset.model:
            self.set_models([self.preset.model])
        await self.action_new_chat()
        self.notify(f"Preset {name}: a new conversation" + (f" with {self.preset.model}" if self.preset.model
                    else "") + ".", markup=False)
        if self.preset.model:
            self.warn_if_keyless(self.preset.model)

    def _last_answer(self) -> str | None:
        for record in reversed(self.records):
            texts = [lane.view.full_text for lane in record.lanes if lane.view.full_text]
            if texts:
                return texts[0]
        return None

    def action_copy_answer(self) -> None:
        text = self._last_answer()
        if text is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        from llmtui.clipboard import copy

        copy(self.app, text, "the last answer")

    def action_copy_code(self) -> None:
        text = self._last_answer()
        block = last_code_block(text) if text else None
        if block is None:
            self.notify("The last answer has no code block.", severity="warning")
            return
        from llmtui.clipboard import copy

        copy(self.app, block, "the last code block")

    def action_find_model(self) -> None:
        if self.has_class("-narrow"):  # the catalog is hidden: typing into it would be blind
            self.llm.pick_model("Chat with…", self._picked_in_modal)
            return
        self.query_one(ModelCatalog).focus_filter()

    def _picked_in_modal(self, ref: str | None) -> None:
        if ref:
            self.post_message(ModelCatalog.Chosen(ref))

    @work(group="key-warning", exclusive=True, thread=True, exit_on_error=False)
    def warn_if_keyless(self, ref: str) -> None:
        """Picking a model whose provider has no key says so now, not after the first send."""
        from llmtui.core.keys import keyless_warning

        text = keyless_warning(self.app.runtime, ref)  # type: ignore[attr-defined]
        if text:
            self.app.call_from_thread(self.notify, text, severity="warning", markup=False, timeout=8)

    def action_edit_prompt(self) -> None:
        if self.streaming or not self.records:
            self.notify("Still answering." if self.records else "Nothing to edit yet.", severity="warning")
            return
        index = (self._edit_index if self._edit_index is not None else len(self.records)) - 1
        if index < 0:
            self.notify("That was the first prompt.", severity="warning")
            return
        self._edit_index = index
        prompt_input = self.query_one(PromptInput)
        prompt_input.text = self.records[index].prompt
        prompt_input.focus()
        self.notify(f"Editing prompt {index + 1} of {len(self.records)}: Enter resends as a branch "
                    "(the old answer is kept); Esc cancels.")

    async def resend_edited(self, text: str) -> None:
        assert self._edit_index is not None
        record = self.records[self._edit_index]
        self._edit_index = None
        index = self.records.index(record)
        await self.query_one(Transcript).truncate(record.widget)
        self.records = self.records[:index]
        self.histories = [list(h) for h in record.histories_before]
        await self.send(text, branch_of=record.user_id)

    def action_rerun(self) -> None:
        if self.streaming or not self.records:
            self.notify("Nothing to rerun yet." if not self.records else "Still answering.",
                        severity="warning")
            return
        self.llm.pick_model("Rerun the last prompt on…", self._rerun_on)

    async def _rerun_on(self, ref: str | None) -> None:
        if not ref:
            return
        record = self.records[-1]
        # Same conversation, another model: it sees the history before that prompt.
        self.models, self.blind = [ref], False
        self._show_model_bar()
        self.histories = [list(record.histories_before[0])]
        await self.send(record.prompt, branch_of=record.user_id)

    def action_compare(self) -> None:
        if len(self.models) == 2:
            self.set_models([self.models[0]])
            self.notify(f"Back to chat with {self.models[0]}.", markup=False)
            return
        self.llm.pick_model(f"Compare {self.models[0] if self.models else ''} with…",
                            lambda ref: self.start_compare(ref))

    def start_compare(self, ref: str | None, blind: bool = False) -> None:
        if not ref:
            return
        first = self.models[0] if self.models else "demo/simulated"
        self.set_models([first, ref], blind=blind)
        self.warn_if_keyless(ref)
        self.notify(f"Compare mode: {first} vs {ref}. Your next prompt goes to both.", markup=False)

    @on(ModelCatalog.Chosen)
    def _model_chosen(self, event: ModelCatalog.Chosen) -> None:
        self.set_models([event.ref])
        self.notify(f"Chatting with {event.ref}.", markup=False)
        self.warn_if_keyless(event.ref)
        self.query_one(PromptInput).focus()

    @on(ModelCatalog.CompareRequested)
    def _compare_requested(self, event: ModelCatalog.CompareRequested) -> None:
        self.start_compare(event.ref)
        self.query_one(PromptInput).focus()

    @property
    def vote_open(self) -> bool:
        record = self.records[-1] if self.records else None
        return (record is not None and len(record.lanes) == 2 and not record.voted
                and all(lane.state for lane in record.lanes))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vote":
            return self.vote_open
        return True

    async def action_vote(self, choice: str) -> None:
        record = self.records[-1] if self.records else None
        if record is None or len(record.lanes) != 2 or not all(lane.state for lane in record.lanes):
            self.notify("Votes are for a finished compare turn.", severity="warning")
            return
        if record.voted:
            self.notify("You already voted on this turn.")
            return
        refs = [lane.ref for lane in record.lanes]
        winner = None if choice == "tie" else refs["ab".index(choice)]
        assert self.conversation_id is not None
        await asyncio.to_thread(self.llm.runtime.store.add_vote, self.conversation_id,
                                record.user_id, refs, winner)
        record.voted = True
        self.refresh_bindings()
        for lane in record.lanes:
            lane.view.set_title(lane.ref)
            if lane.hidden_notice:
                lane.view.show_notice(lane.hidden_notice, failed=True)
        self._turn_finished(record)
        verdict = "a tie" if winner is None else f"{winner} wins"
        self.notify(f"Vote saved: {verdict} (A was {refs[0]}, B was {refs[1]}).", markup=False)

    # ------------------------------------------------------------ stored conversations

    async def open_conversation(self, conversation_id: int) -> bool:
        """Show a stored conversation and continue it; False if it does not exist."""
        store = self.llm.runtime.store
        conversation = await asyncio.to_thread(store.conversation, conversation_id)
        if conversation is None:
            self.notify(f"Conversation {conversation_id} is gone.", severity="error")
            return False
        messages = await asyncio.to_thread(store.messages, conversation_id)
        # A conversation keeps the system prompt it was started with.
        self.system_prompt = await asyncio.to_thread(store.system_prompt, conversation_id)
        self.workers.cancel_group(self, "stream")
        refs = list(conversation.models) or self.models
        turns, histories, costs = stored_turns(messages, refs, conversation.blind, self.llm.deterministic)
        self.set_models(refs, blind=conversation.blind)
        self.conversation_id = conversation_id
        self.histories = histories
        self.costs = costs
        self.records = []
        await self.query_one(Transcript).load(turns)
        self.refresh_meter()
        return True


def _first(*values: T | None) -> T | None:
    return next((v for v in values if v is not None), None)
