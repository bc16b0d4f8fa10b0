"""ChatSession: one conversation with one to four models, and the rules for changing it.

It holds the models in play, blind state, the conversation id and the turns on the
live path (each with its lanes' states); it knows what send, switch model, rerun,
edit-and-branch, vote and reopen do to them. It starts the Exchanges; whoever drives
it (the TUI main screen, `llmtui ask`) only shows what comes back. No Textual here.

Branches: an edit or a rerun replaces a turn on the path. The turns it replaced (that
turn and everything after it) stay in the store and on the new turn as `earlier`,
so they can be shown and exported as branches; a model is never sent them.

What the turns and lanes are is core/turns.py (re-exported here, where callers know them
from); how each lane's next request asks (sampling, effort) is core/lane_controls.py.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core.lane_controls import LaneControls
from llmtui.core.pricing.cost import Cost, add
from llmtui.core.reasoning_choice import ReasoningChoice
from llmtui.core.sampling import Sampling
from llmtui.core.turns import Lane, LaneState, Turn, TurnKind, prompt_ids, stored_path, user_message
from llmtui.providers.base import ChatMessage, Effort, Notice, StreamDone, StreamError

if TYPE_CHECKING:
    # The store's modules (sqlite3, the ledger, arena and attachment tables) load where they
    # are used, in worker threads: the TUI's first frame needs none of them.
    from llmtui.core.config import Preset
    from llmtui.core.exchange import ExchangeEvent
    from llmtui.core.runtime import Runtime
    from llmtui.core.store import (
        Conversation,
        PromptAdded,
        Store,
        StoredAttachment,
        StoredMessage,
        Vote,
    )
    from llmtui.providers.parts import Part

__all__ = ["MAX_MODELS", "ChatSession", "Lane", "LaneState", "Turn", "TurnKind", "stored_path",
           "user_message"]

MAX_MODELS = 4
"""Lanes a compare can hold (a blind compare: exactly two)."""


class ChatSession(LaneControls):
    def __init__(self, runtime: Runtime, models: Sequence[str] = (), *, blind: bool = False,
                 system: str | None = None, temperature: float | None = None,
                 max_tokens: int | None = None, reasoning_effort: Effort | None = None,
                 thinking_budget: int | None = None, preset: str | None = None,
                 sampling: Sampling | None = None) -> None:
        """`sampling` (with `temperature` / `max_tokens` over it): every lane's; what is unset
        comes from each model's `[models."REF"]` table, then [defaults] (the Exchange looks).
        The reasoning controls, None: each model's own settings; `preset`: the [presets] name a
        new conversation records."""
        every_lane = Sampling(temperature=temperature, max_tokens=max_tokens).over(sampling or Sampling())
        super().__init__(every_lane, reasoning_effort, thinking_budget)
        self.runtime = runtime
        self.new_system = system
        """The system prompt a new conversation starts with (ctrl+n keeps a preset's)."""
        self.preset = preset
        self.models: list[str] = list(models)
        self.blind = blind and len(self.models) == 2
        self.rng: random.Random | None = None
        """Draws a blind round's sides; None: the OS's entropy (a test may seed one)."""
        self.system = system
        self.conversation_id: int | None = None
        self.turns: list[Turn] = []
        self.costs: list[Cost] = []
        """Every answer of this conversation, kept branches included (the meter's figure)."""
        self.speeds: list[float] = []
        self.foreign: set[int] = set()
        """Prompts another llmtui added to this conversation, already reported."""

    # ------------------------------------------------------------ state

    @property
    def streaming(self) -> bool:
        return bool(self.turns) and self.turns[-1].streaming

    @property
    def conversation_cost(self) -> Cost:
        return add(self.costs) if self.costs else Cost(Decimal(0))

    def history(self, ref: str, turns: Sequence[Turn] | None = None) -> list[ChatMessage]:
        """What model `ref` is sent before a new prompt: the live path, with its own answers.

        Found by model, not by lane: a blind compare draws the sides afresh every round. A
        turn the model did not answer (chat, then compare) gives it that turn's first
        answer, so a model joining a conversation sees it too.
        """
        out: list[ChatMessage] = []
        for turn in self.turns if turns is None else turns:
            if not turn.lanes:
                continue
            answer = next((lane for lane in turn.lanes if lane.ref == ref), turn.lanes[0])
            if answer.text:
                out += [ChatMessage("user", turn.prompt, turn.parts),
                        ChatMessage("assistant", answer.text)]
        return out

    def last_answer(self) -> str | None:
        """The newest answer with text (the first lane's, in a compare)."""
        for turn in reversed(self.turns):
            texts = [lane.text for lane in turn.lanes if lane.text]
            if texts:
                return texts[0]
        return None

    def label(self, lane: int, ref: str, voted: bool = False) -> str:
        """The name a lane is shown under: hidden in a blind compare until the vote."""
        return f"Model {'AB'[lane]}" if self.blind and not voted else ref

    # ------------------------------------------------------------ changing models

    def use_preset(self, preset: Preset) -> None:
        """From the next conversation on: the preset's system prompt and sampling (its model is
        the caller's to switch to)."""
        defaults = self.runtime.config.defaults
        self.preset = preset.name
        self.new_system = preset.system or defaults.system
        self.set_sampling(preset.sampling)

    def new_chat(self) -> None:
        """Start afresh on the same models."""
        self.conversation_id = None
        self.foreign = set()
        self.system = self.new_system
        self.turns = []
        self.costs = []

    def switch(self, models: Sequence[str], *, blind: bool = False) -> bool:
        """Talk to `models` from the next prompt on. True: the same conversation goes on.

        A change of model keeps the conversation (the new model is sent the earlier turns).
        Blind state is the conversation's own (votes count toward the leaderboard only
        when names were hidden from the start), so a change of it starts a new one.
        """
        blind = blind and len(models) == 2
        models = list(models)[:MAX_MODELS]
        keep = blind == self.blind and not blind
        if not keep and self.turns:
            self.new_chat()
        self.models = list(models)
        self.blind = blind
        return keep or not self.turns

    # ------------------------------------------------------------ sending

    async def send(self, prompt: str, *, replaces: Turn | None = None,
                   kind: TurnKind = TurnKind.PROMPT, parts: Sequence[Part] = ()) -> Turn:
        """Store the prompt (and its attachments) and start one Exchange per model; `stream` runs each."""
        from llmtui.core.exchange import Exchange

        if replaces is not None:
            at = self.turns.index(replaces)
            before, kept = self.turns[:at], self.turns[at:]
            earlier = [*replaces.earlier, kept]
        else:
            before, earlier = self.turns, []
        models = list(self.models)
        if self.blind and len(models) == 2:
            from llmtui.core.blind_rounds import draw_sides

            models = list(draw_sides(models[0], models[1], self.rng))  # A and B drawn every round
        conversation_id = self.conversation_id
        seen = prompt_ids(self.turns) | self.foreign  # another llmtui's prompts are not

        def write(store: Store, cid: int | None) -> PromptAdded:
            # A blind compare is listed in the order the user named its models, never in the
            # first round's draw (that would say which side was A).
            return store.add_prompt(
                cid, prompt, parent_id=replaces.user_id if replaces is not None else None,
                parts=parts, models=self.models if self.blind else models, blind=self.blind,
                system=self.system, preset=self.preset, seen=seen)

        try:
            added = await asyncio.to_thread(write, self.runtime.store, conversation_id)
        except _store_errors() as exc:  # damaged, full, locked: on without history (history_off)
            store = await asyncio.to_thread(self.runtime.lose_history, exc)
            added = await asyncio.to_thread(write, store, None)
            conversation_id = added.conversation_id  # the same conversation, now in memory
        self.conversation_id, user_id = added.conversation_id, added.prompt_id
        if conversation_id is not None and self.conversation_id != conversation_id:
            # Deleted meanwhile: a new conversation, with nothing here to be a branch of.
            before, earlier, self.costs = [], [], []
            kind = TurnKind.PROMPT if added.gone is not None else kind
        self.foreign |= set(added.unseen)  # said once
        histories = [self.history(ref, before) for ref in models]
        turn = Turn(prompt, user_id, kind=kind, earlier=earlier, parts=tuple(parts),
                    started_afresh=added.gone, unseen=len(added.unseen))
        self.turns = [*before, turn]
        question = user_message(prompt, parts)
        max_tokens = None  # each lane's own (sampling_for, then [models], then [defaults])
        config = self.runtime.config
        if self.blind and all(config.sampling_for(ref, self.sampling).max_tokens is None
                              for ref in models):  # one cap for both sides (send_plan says why)
            from llmtui.core.send_plan import common_cap

            try:
                max_tokens = await asyncio.to_thread(
                    common_cap, self.runtime, models, [[*h, question] for h in histories],
                    self.system, [self.controls(ref) for ref in models])
            except _store_errors():  # the ledger unreadable: each send says so as it reserves
                max_tokens = None
        for lane, ref in enumerate(models):
            effort, budget = self.controls(ref)
            exchange = Exchange(self.runtime, ref, [*histories[lane], question],
                                system=self.system, sampling=self.sampling_for(ref),
                                max_tokens=max_tokens, conversation_id=self.conversation_id,
                                lane=lane, parent_id=user_id, reasoning_effort=effort,
                                thinking_budget=budget)
            turn.exchanges.append(exchange)
            sent = ReasoningChoice(exchange.reasoning_effort, exchange.thinking_budget)
            turn.lanes.append(Lane(ref, stats=exchange.stats, sent_with=sent))
        return turn

    async def rerun(self, ref: str) -> Turn:
        """The last prompt again, on `ref` alone; the earlier answer stays as a branch."""
        last = self.turns[-1]
        self.models, self.blind = [ref], False
        return await self.send(last.prompt, replaces=last, kind=TurnKind.RERUN, parts=last.parts)

    async def edit(self, turn: Turn, prompt: str) -> Turn:
        """Resend an edited prompt in place of `turn` (its attachments kept); it and the turns
        after it become a branch."""
        return await self.send(prompt, replaces=turn, kind=TurnKind.EDIT, parts=turn.parts)

    async def stream(self, turn: Turn, index: int) -> AsyncGenerator[ExchangeEvent, None]:
        """Run one lane's Exchange, keeping its state; yields what the view should show."""
        lane, exchange = turn.lanes[index], turn.exchanges[index]
        task = asyncio.current_task()
        events = exchange.run()
        try:
            async for event in events:
                if task is not None and task.cancelling():
                    raise asyncio.CancelledError  # Python 3.11's wait_for can swallow a cancel
                if isinstance(event, StreamError):
                    # Text that arrived stays, marked interrupted (as the store marks it).
                    lane.state = LaneState.INTERRUPTED if exchange.stats.text else LaneState.ERROR
                elif isinstance(event, StreamDone):
                    lane.state = LaneState.DONE
                elif isinstance(event, Notice) and event.names_model and self.blind and not turn.voted:
                    lane.held.append(event.text)  # it would tell which provider this lane is
                    continue
                yield event
        except (asyncio.CancelledError, GeneratorExit):  # stopped, or the reader stopped reading
            lane.state = LaneState.INTERRUPTED
            raise
        except Exception:
            lane.state = LaneState.ERROR
            raise
        finally:
            # Closed now, however this ends: the Exchange marks the stored answer interrupted and
            # closes the adapter under it. Left to the loop's shutdown, the generators were
            # closed side by side and raced each other (`llmtui ask | head`).
            await events.aclose()
            if lane.state is LaneState.STREAMING:
                lane.state = LaneState.ERROR
            self.costs.append(lane.cost)
            if exchange.stats.tokens_per_s:
                self.speeds.append(exchange.stats.tokens_per_s)

    # ------------------------------------------------------------ votes

    def vote_problem(self) -> str | None:
        """Why a vote cannot be taken now, or None."""
        turn = self.turns[-1] if self.turns else None
        if turn is None or len(turn.lanes) != 2 or turn.streaming:
            return "Votes are for a finished two-model compare turn."
        if any(lane.state is not LaneState.DONE for lane in turn.lanes):
            return "An answer failed or was cut off: no vote on this round."
        if turn.voted:
            return "You already voted on this turn."
        return None

    async def vote(self, choice: str) -> Vote:
        """Record a, b, tie or both_bad for the last turn, with the sides as they were shown."""
        from llmtui.core.store import Choice, Vote

        turn = self.turns[-1]
        a, b = turn.lanes
        assert self.conversation_id is not None  # a finished turn was stored
        vote = Vote(a.ref, b.ref, Choice(choice), self.blind, self.conversation_id, turn.user_id,
                    answer_a=a.answer_id, answer_b=b.answer_id)
        await asyncio.to_thread(self.runtime.store.record_vote, vote)
        turn.voted = True
        return vote

    # ------------------------------------------------------------ reopening

    async def reopen(self, conversation_id: int) -> bool:
        """Continue a stored conversation on the model(s) it last used; False if it is gone."""
        store = self.runtime.store

        def read() -> tuple[Conversation, list[StoredMessage], str | None,
                            dict[int, list[StoredAttachment]]] | None:
            conversation = store.conversation(conversation_id)
            if conversation is None:
                return None
            messages = store.messages(conversation_id)
            files = store.attachments_of([m.id for m in messages if m.role == "user"])
            return conversation, messages, store.system_prompt(conversation_id), files

        found = await asyncio.to_thread(read)
        if found is None:
            return False
        conversation, messages, system, files = found
        self.new_chat()
        self.system = system  # a conversation keeps the system prompt it was started with
        self.conversation_id = conversation_id
        self.turns = stored_path(messages)
        for turn in self.turns:  # reopened attachments are resent with their prompts
            turn.parts = tuple(a.part for a in files.get(turn.user_id or -1, []))
        self.costs = [lane.cost for m in messages if m.role == "assistant"
                      for lane in [Lane(m.model or "?", stored=m)]]
        last = self.turns[-1].refs if self.turns and self.turns[-1].lanes else []
        self.models = last or list(conversation.models) or self.models
        self.blind = conversation.blind and len(self.models) == 2
        for turn in self.turns:
            turn.voted = True  # a stored turn is not voted on again (nor hidden again)
        self.restore_sampling(self.turns[-1].lanes if self.turns else [])
        return True



def _store_errors() -> tuple[type[BaseException], ...]:
    from llmtui.core.history_off import STORE_ERRORS  # sqlite3: loaded when first needed

    return STORE_ERRORS
