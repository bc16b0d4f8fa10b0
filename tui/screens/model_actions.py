"""Which models answer, as the main screen's keys change it: pick or switch a model, compare
lanes (add, remove, next, word diff), rerun the last prompt on another model, vote on a blind
round, repeat the last prompt N times.

`ModelActions` sits between `ChatViews` (screens/chat_views.py) and `NextPrompt`
(screens/next_prompt.py), under `MainScreen` (screens/main.py), which holds the key table;
each action is a few lines that ask the session, then redraw the views.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events, work

from llmtui.present.remedies import KEYS_BINDING, NEW_CHAT_BINDING, binding_key, still_answering
from llmtui.present.turns import last_code_block, switch_notice
from llmtui.screens.chat_views import ChatViews
from llmtui.widgets.compare_lanes import CompareLanes, LanePane
from llmtui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime
    from llmtui.widgets.model_catalog import CatalogRow, ModelCatalog


class ModelActions(ChatViews):
    def __init__(self, runtime: Runtime, *, deterministic: bool = False) -> None:
        super().__init__(runtime, deterministic=deterministic)
        self.catalog_entries: list[CatalogRow] = []
        """The catalog's rows, offered by the model pickers (MainScreen.load_catalog fills it)."""
        self._lane_focus: int | None = None
        """The compare lane that has (or last had) the focus on this screen; None: elsewhere."""

    def pick_model(self, title: str, then: Callable[[str | None], Awaitable[None]]) -> None:
        from llmtui.screens.model_picker_modal import ModelPickerScreen

        self.app.push_screen(ModelPickerScreen(title, self.catalog_entries), then)

    def action_find_model(self) -> None:
        if self.has_class("-narrow"):  # the catalog is hidden: typing into it would be blind
            self.pick_model("Chat with…", self._picked_in_modal)
            return
        from llmtui.widgets.model_catalog import ModelCatalog

        self.query_one(ModelCatalog).focus_filter()

    async def _picked_in_modal(self, ref: str | None) -> None:
        from llmtui.widgets.model_catalog import ModelCatalog

        if ref:
            self.post_message(ModelCatalog.Chosen(ref))

    # Handlers by name, not @on(ModelCatalog.…): the catalog's module loads after the first frame.
    async def on_model_catalog_chosen(self, event: ModelCatalog.Chosen) -> None:
        self.query_one(PromptInput).focus()
        await self.switch_to([event.ref])

    async def on_model_catalog_compare_requested(self, event: ModelCatalog.CompareRequested) -> None:
        self.query_one(PromptInput).focus()
        await self._compare_with(event.ref)

    @work(group="key-warning", exclusive=True, thread=True, exit_on_error=False)
    def warn_if_keyless(self, ref: str, keys_key: str) -> None:
        """Picking a model whose provider has no key says so now, not after the first send."""
        from llmtui.core.keys import keyless_warning

        text = keyless_warning(self.runtime, ref, keys_key)
        if text:
            self.app.call_from_thread(self.notify, text, severity="warning", markup=False, timeout=8)

    def _compare_key(self) -> str:
        return binding_key(self.app, "chat.compare") or "ctrl+g"

    async def switch_to(self, models: list[str], *, blind: bool = False) -> None:
        """Talk to other model(s): the conversation goes on unless blind state changes."""
        if self.session.streaming:
            self.notify(still_answering(self.app), severity="warning")
            return
        before = list(self.session.models)
        goes_on = self.session.switch(models, blind=blind)
        self.refresh_bindings()  # the vote, lane and diff keys follow the models in play
        self._show_model_bar()
        await self._show_layout()
        if not goes_on:
            self.views.clear()
            await self.transcript.clear_turns()
            self.refresh_meter()
        elif self.session.turns:
            await self._redraw()
        self.notify(switch_notice(self.session, goes_on,
                                  binding_key(self.app, NEW_CHAT_BINDING) or "ctrl+n"), markup=False)
        keys_key = binding_key(self.app, KEYS_BINDING) or "ctrl+k"  # read here, not in its thread
        for ref in models:
            if ref not in before:
                self.warn_if_keyless(ref, keys_key)  # M15: a keyless pick warns now, not after the first send
        self.warm_prices()

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

    async def add_lane(self, ref: str) -> None:
        """One more model beside the ones in play (up to four; not in a blind compare)."""
        from llmtui.core.session import MAX_MODELS

        models = self.session.models
        if ref in models:
            self.notify(f"{ref} is already in this compare.", markup=False)
        elif self.session.blind:
            self.notify(f"A blind compare is two models; {self._compare_key()} leaves it.",
                        severity="warning")
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vote":
            # Shown while a vote is open; still live after one (or on a failed round), so
            # the key says why it does nothing instead of nothing at all.
            # Only while the two models are still in play: after ctrl+g back to one model
            # the F-keys would vote on a round no longer on screen.
            turn = self.session.turns[-1] if self.session.turns else None
            return (turn is not None and len(turn.lanes) == 2 and not turn.streaming
                    and set(turn.refs) == set(self.session.models))
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

    async def action_runs(self) -> None:
        """The last prompt N times on every model in play: the spread of TTFT, tok/s, cost."""
        from llmtui.screens.modals import TextInputModal

        if not self.session.turns:
            self.notify("Send a prompt first: this repeats the last one.", severity="warning")
            return
        if self.session.blind:
            self.notify("Repeat runs name the models: leave the blind compare first "
                        f"({self._compare_key()}).", severity="warning")
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
                                        runs, Settings(session.system, sampling=session.sampling)))

    # ------------------------------------------------------------ copying

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
