"""What goes with the next prompt, settled before Enter: the files attached to it (F2, a prompt
that is only a path, `@path` words, core/mentions.py has the rule), the check that every lane
can take them, the earlier prompt it replaces (ctrl+up: edit and resend as a branch), how hard
each lane thinks (alt+t) and samples (alt+p), and the line that prices Enter
(present/send_price.py).

`NextPrompt` sits between `ModelActions` (screens/model_actions.py) and `MainScreen`
(screens/main.py), which routes Enter here first and then sends.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.widgets import Static

from llmtui.core.attachments import AttachmentError, label, load, shown
from llmtui.providers.parts import Part
from llmtui.screens.model_actions import ModelActions
from llmtui.widgets.attachment_chips import AttachmentChips
from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from textual.timer import Timer

    from llmtui.core.runtime import Runtime
    from llmtui.core.session import Turn


class NextPrompt(ModelActions):
    booted: asyncio.Event  # set by MainScreen once boot has opened the store

    def __init__(self, runtime: Runtime, *, deterministic: bool = False) -> None:
        super().__init__(runtime, deterministic=deterministic)
        self._reviewed: set[Path] = set()
        """Files the draft's `@path` words named, already offered as chips (or refused)."""
        self._price_timer: Timer | None = None
        self._editing: Turn | None = None
        """The earlier prompt (ctrl+up) the next Enter resends in place of, as a branch."""

    # ------------------------------------------------------------ the price of Enter

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
                                       session.system, draft,
                                       sampling=[session.sampling_for(ref) for ref in session.models],
                                       controls=[session.controls(ref) for ref in session.models],
                                       parts=tuple(self.query_one(AttachmentChips).parts),
                                       blind=session.blind)
        for line in self.query("#send-price").results(Static):
            line.update(Text(text))
            line.display = bool(text)

    # ------------------------------------------------------------ attachments

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

    async def _parts_to_send(self, prompt: str) -> tuple[Part, ...] | None:
        """The chips' files, taken off the prompt box to go with `prompt`; None when a lane
        cannot take them (then no lane is sent, nor billed, and the draft and chips stay)."""
        from llmtui.core.catalog.vision import refusal

        chips: AttachmentChips[Part] = self.query_one(AttachmentChips)
        parts = tuple(chips.parts)  # the same files go to every lane of a compare
        problem = (await asyncio.to_thread(refusal, self.runtime, list(self.session.models), parts)
                   if parts else None)
        if problem is not None:
            box = self.query_one(PromptInput)
            if not box.text:
                box.text = prompt  # nothing is lost
            self.notify(problem.message, severity="error", markup=False, timeout=12)
            return None
        await chips.clear()
        self._reviewed.clear()
        return parts

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
        from llmtui.screens.attach_file import AttachFileScreen

        path = await self.app.push_screen_wait(AttachFileScreen(Path.cwd()))
        if path is not None:
            await self._attach_file(path)
        self.query_one(PromptInput).focus()

    # ------------------------------------------------------------ how the next send asks

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
        prompt_input.move_cursor(prompt_input.document.end)  # typing goes on from its end
        prompt_input.focus()
        self.notify(f"Editing prompt {index + 1} of {len(turns)}: Enter resends as a branch "
                    "(the old answer is kept); Esc cancels.")


    @work(group="reasoning", exclusive=True, exit_on_error=False)
    async def action_reasoning(self) -> None:
        """alt+t: effort or budget from the next send, for the focused lane (a blind compare: both)."""
        from llmtui.screens.reasoning_picker import pick_for

        lane = self.query_one(CompareLanes).active if len(self.session.models) >= 2 else 0
        if await pick_for(self.app, self.session, lane) is not None:
            self._show_model_bar()
            self.refresh_send_price()
        self.query_one(PromptInput).focus()

    @work(group="parameters", exclusive=True, exit_on_error=False)
    async def action_parameters(self) -> None:
        """alt+p: sampling parameters from the next send, for the focused lane or every lane."""
        from llmtui.screens.params import pick_params

        lane = self.query_one(CompareLanes).active if len(self.session.models) >= 2 else 0
        if await pick_params(self.app, self.runtime, self.session, lane) is not None:
            self._show_model_bar()
            self.refresh_send_price()  # max_tokens bounds the price of Enter
        self.query_one(PromptInput).focus()

    def action_search_prompts(self) -> None:
        from llmtui.screens.prompt_search import PromptSearchScreen

        if self.booted.is_set():  # the store opens in boot
            self.app.push_screen(PromptSearchScreen(self.runtime.store), self.query_one(PromptInput).put)
