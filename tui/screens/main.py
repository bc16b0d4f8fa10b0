"""The main screen: catalog | transcript + prompt | cost meter. Chat and compare alike.

The conversation itself is a `ChatSession` (llmtui.core.session). This module composes the
screen, holds its key table, starts up after the first paint and routes the prompt (send,
edit, search, copy, new chat, reopen). What it shows of the session (the views, each lane's
stream worker, the meter) is `ChatViews` (chat_views.py); what changes the models in play
(switch, compare lanes, rerun, vote, repeat runs) is `ModelActions` (model_actions.py); what
goes with the next prompt (files, the prompt being edited, effort and sampling, the price of
Enter) is `NextPrompt` (next_prompt.py). A chat is compare with one lane.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from llmtui.core.session import LaneState
from llmtui.core.settings import load_settings
from llmtui.core.starter import StartOptions, first_models, offline_note, resume_id
from llmtui.core.terminal import newline_keys
from llmtui.present.remedies import KEYS_BINDING, binding_key, no_branches_yet, still_answering
from llmtui.screens.answer_scroll import SCROLL_BINDINGS, AnswerScroll
from llmtui.screens.next_prompt import NextPrompt
from llmtui.widgets.attachment_chips import AttachmentChips
from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.prompt_input import PromptInput
from llmtui.widgets.thinking_mode import next_mode, saved_mode
from llmtui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

CLOCK_S = 1 / 30
"""The frame clock: on each tick chat_views.ChatViews._frame repaints the streaming lanes if a
frame is due (widgets/frame_pacer.py: 15 a second, fewer while the process is busy)."""
FIRST_ANSWER_S = 1.0
"""How long the side panes and the catalog wait for a launch prompt's first tokens."""


class MainScreen(AnswerScroll, NextPrompt):
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
        # Priority, as alt+t; F12 too, for terminals whose alt key types a character of its own.
        Binding("alt+p,f12", "parameters", "Params", id="chat.params", show=False, priority=True,
                tooltip="Sampling parameters (temperature, top_p, max_tokens, seed, stop) for this "
                        "lane or all"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, runtime: Runtime, start: StartOptions, *, deterministic: bool = False) -> None:
        super().__init__(runtime, deterministic=deterministic)
        self.start = start
        self.booted = asyncio.Event()

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
                yield PromptInput(newline_keys=newline_keys(os.environ), id="prompt")
        # The catalog, meter and footer (their modules too) come once the conversation shows.

    def on_mount(self) -> None:
        prompt = self.query_one(PromptInput)
        prompt.focus()
        prompt.cursor_blink = not self.deterministic  # a blinking cursor makes snapshots flaky
        self.set_interval(CLOCK_S, self._frame)
        self.call_after_refresh(self.boot)

    async def _mount_side_panes(self) -> None:
        from llmtui.widgets.app_footer import AppFooter
        from llmtui.widgets.cost_meter import CostMeter, MeterFigures
        from llmtui.widgets.model_catalog import ModelCatalog

        meter = CostMeter(id="meter")
        send_price = Static("", id="send-price", classes="muted")
        send_price.display = False
        with self.app.batch_update():
            await self.query_one("#left").mount(ModelCatalog(id="catalog"))
            await self.query_one("#centre").mount(send_price, after=self.query_one(PromptInput))
            await self.query_one("#panes").mount(meter)
            await self.mount(AppFooter())
        meter.show(MeterFigures())
        self.refresh_bindings()  # the footer lists the keys when told they changed

    # ------------------------------------------------------------ start-up (after first paint)

    @work(group="boot", exit_on_error=False)
    async def boot(self) -> None:
        runtime, start = self.runtime, self.start

        def open_store() -> int | None:
            # Off the event loop; Markdown now if a stored conversation shows, else warm_imports.
            if start.resume is not None:
                import rich.markdown  # noqa: F401
            return resume_id(runtime, start)

        from llmtui.core.history_off import STORE_ERRORS

        try:
            resume = await asyncio.to_thread(open_store)
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
                f"or {binding_key(self.app, 'chat.find_model') or 'ctrl+f'} to pick a model.")
        if start.prompt:
            await self._send(start.prompt)
            if self.session.turns:  # sent (a file the model cannot take sends nothing)
                await self._first_answer()
        self._booted()

    async def _first_answer(self) -> None:
        """Wait until a frame has drawn the launch prompt's first tokens in every lane (at most
        FIRST_ANSWER_S): _after_boot's work took a third of the CPU on the way to them."""
        loop, seen, lanes = asyncio.get_running_loop(), None, self.session.turns[-1].lanes
        until = loop.time() + FIRST_ANSWER_S
        while loop.time() < until and self.session.streaming and (seen is None or self._frames <= seen):
            if seen is None and all(lane.state is not LaneState.STREAMING
                                    or (lane.stats and lane.stats.first_token_at) for lane in lanes):
                seen = self._frames  # the views get them on the next frame (ChatViews._frame)
            await asyncio.sleep(CLOCK_S)

    def _booted(self) -> None:
        # After the frame that shows the conversation (or the model picked), not on the way to
        # it: the side panes, the catalog's keys and prices, the network's modules, the meter.
        self.call_after_refresh(self._after_boot)

    @work(group="boot", exit_on_error=False)  # a worker: quitting meanwhile cancels it
    async def _after_boot(self) -> None:
        await self._mount_side_panes()
        self.warm_imports()
        self.warm_prices()
        self.load_catalog()
        self.refresh_meter()
        self.booted.set()

    @work(group="boot", thread=True, exit_on_error=False)
    def warm_imports(self) -> None:
        """What every first answer imports (httpx, the exchange, the OpenAI dialect, Markdown)."""
        import httpx  # noqa: F401
        import rich.markdown  # noqa: F401

        import llmtui.core.exchange  # noqa: F401
        import llmtui.providers.openai_compat  # noqa: F401

    @work(group="models", exclusive=True, exit_on_error=False)
    async def load_catalog(self, refresh: bool = False) -> None:
        from llmtui.present.catalog_rows import cached_entries, load_entries
        from llmtui.widgets.model_catalog import ModelCatalog

        catalog = self.query_one(ModelCatalog)
        if not catalog.entries and (cached := await cached_entries(self.runtime)):
            catalog.set_entries(cached)
        self.catalog_entries = await load_entries(self.runtime, refresh=refresh)
        catalog.set_entries(self.catalog_entries)

    # ------------------------------------------------------------ sending

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        if self.session.streaming:
            self._keep_draft(event)
            self.notify(still_answering(self.app), severity="warning")
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
        parts = await self._parts_to_send(prompt)
        if parts is not None:
            await self._show_turn(await self.session.send(prompt, parts=parts))

    # ------------------------------------------------------------ actions

    def action_cancel(self) -> None:
        if self.session.streaming:
            self.interrupt_streams()
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
        await self.stop_streams()
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
            self.warn_if_keyless(preset.model, binding_key(self.app, KEYS_BINDING) or "ctrl+k")
        await self.new_chat()
        self.notify(f"Preset {name}: a new conversation" + (f" with {preset.model}" if preset.model
                    else "") + ".", markup=False)

    async def forget_if_deleted(self) -> None:
        """After History: if the open conversation was deleted there, start a clean new one."""
        cid = self.session.conversation_id
        if cid is not None and await asyncio.to_thread(self.runtime.store.conversation, cid) is None:
            await self.new_chat()
            self.notify("The open conversation was deleted: this is a new one.")

    def action_branches(self) -> None:
        from llmtui.core.branches import kept_branches
        from llmtui.screens.branches import BranchesScreen

        branches = kept_branches(self.session.turns)
        if not branches:
            self.notify(no_branches_yet(self.app))
            return
        self.app.push_screen(BranchesScreen(branches, self.deterministic))

    # ------------------------------------------------------------ stored conversations

    async def open_conversation(self, conversation_id: int) -> bool:
        """Show a stored conversation and continue it; False if it does not exist."""
        from llmtui.core.history_off import STORE_ERRORS, problem_of

        await self.stop_streams()
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
        from llmtui.core.settings import save_settings

        self.thinking_mode = next_mode(self.thinking_mode)
        self._apply_thinking_mode()
        self.notify(f"Thinking: {self.thinking_mode}", timeout=2)
        self.run_worker(asyncio.to_thread(save_settings, {"thinking": self.thinking_mode}),
                        group="settings", exit_on_error=False)
