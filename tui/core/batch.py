"""A compare batch: every prompt of a set, on every model, N times; stored as one compare run.

A round is one prompt sent once to every model at the same moment: one Exchange per model
(the same the TUI uses), streamed concurrently. Rounds go one after another, so each repeat
is measured as the first was and no provider sees more than one request of the batch at a
time. Results come out as each answer ends. The whole batch's worst case is reserved against
the spending limits before anything is sent (llmtui.core.batch_budget).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core.batch_budget import release, reserve_batch
from llmtui.core.budget import Reservation
from llmtui.core.exchange import Exchange, ExchangeStats
from llmtui.core.prompt_set import PromptItem
from llmtui.core.retry import Retrying
from llmtui.core.sampling import Sampling
from llmtui.core.stats import percentile
from llmtui.providers.base import ChatMessage, ChatRequest, Notice, StreamError, split_ref

if TYPE_CHECKING:
    from llmtui.core.config import Config
    from llmtui.core.runtime import Runtime
    from llmtui.core.store import CompareRun


@dataclass(frozen=True, slots=True)
class Settings:
    system: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    sampling: Sampling = field(default_factory=Sampling)
    """top_p, seed, stop (and the rest, under `temperature` / `max_tokens`)."""

    @property
    def explicit(self) -> Sampling:
        return Sampling(temperature=self.temperature, max_tokens=self.max_tokens).over(self.sampling)

    def system_for(self, item: PromptItem) -> str | None:
        return item.system if item.system is not None else self.system


@dataclass(frozen=True, slots=True)
class BatchResult:
    model: str
    lane: int
    run: int
    item: PromptItem
    stats: ExchangeStats
    error: StreamError | None

    @property
    def failed(self) -> bool:
        return self.error is not None or self.stats.interrupted


@dataclass(frozen=True, slots=True)
class Heard:
    """Something an answer says while it streams that its reader should know (as `ask`
    prints it): a Notice (usage ignored, not saved, llmtui capped max_tokens to hold a
    limit) or a retry. Which lane, run and prompt it came from."""

    model: str
    lane: int
    run: int
    item: PromptItem
    event: Notice | Retrying


Listener = Callable[[Heard], None]


def plan(models: Sequence[str], items: Sequence[PromptItem], repeats: int, settings: Settings,
         config: Config | None = None) -> list[tuple[str, ChatRequest]]:
    """Every request the batch will send, in the order run_batch sends them (what the budget
    needs of them: the prompt and the output bound, from `config`'s tables where given)."""
    asked = {ref: config.sampling_for(ref, settings.explicit) if config else settings.explicit
             for ref in models}
    return [
        (ref, ChatRequest(model=split_ref(ref)[1],
                          messages=(ChatMessage("user", item.prompt, item.parts),),
                          system=settings.system_for(item), temperature=asked[ref].temperature,
                          max_tokens=asked[ref].max_tokens))
        for item in items for _ in range(repeats) for ref in models
    ]


def prepare(runtime: Runtime, models: Sequence[str], items: Sequence[PromptItem], repeats: int,
            settings: Settings) -> list[Reservation]:
    """Get ready to send a batch: every model must take its images, and it is all reserved
    against the spending limits (raises budget.Refused, reserving nothing, when either fails).

    Blocking: call it in a thread. It looks up each model's price once, so the first lookup
    (it may load the bundled price data, tenths of a second) happens here and not on the
    event loop when the first answer of a round is priced: that would stall the other
    streams and skew their timings. For the same reason it warms up the network path.
    """
    from llmtui.core.budget import Refused
    from llmtui.core.catalog.vision import refusal

    # Every model must take the images, or nothing of the batch is sent (as with the budget).
    problem = refusal(runtime, models, [p for item in items for p in item.parts])
    if problem is not None:
        raise Refused(problem)
    for ref in models:
        runtime.price(*split_ref(ref))
    _warm_up(runtime, models)
    return reserve_batch(runtime, plan(models, items, repeats, settings, runtime.config))


def _warm_up(runtime: Runtime, models: Sequence[str]) -> None:
    """Pay here, in a thread, what the first request would pay on the event loop while
    other models' clocks run: the HTTP client (its TLS context), each adapter's module and
    the async network backend the first streamed request would import."""
    import importlib

    import anyio._backends._asyncio  # noqa: F401
    import anyio._core._sockets  # noqa: F401
    import httpcore._backends.anyio  # noqa: F401

    from llmtui.providers.presets import KINDS

    for ref in models:
        target = KINDS.get(runtime.spec(split_ref(ref)[0]).kind)
        if target is not None:
            importlib.import_module(target.partition(":")[0])
    runtime.client()


async def run_batch(runtime: Runtime, run: CompareRun, items: Sequence[PromptItem],
                    settings: Settings, reservations: Sequence[Reservation] = (),
                    listener: Listener | None = None) -> AsyncIterator[BatchResult]:
    """Results as answers end; cancelling stops every stream (their text is kept).

    `reservations` are prepare()'s, in plan order; those never sent are released at the end.
    `listener` hears each answer's notices and retries as they happen."""
    unused = list(reservations)
    try:
        async for result in _rounds(runtime, run, items, settings, unused, listener):
            yield result
    finally:
        if unused:
            await asyncio.to_thread(release, runtime, unused)


async def _rounds(runtime: Runtime, run: CompareRun, items: Sequence[PromptItem],
                  settings: Settings, unused: list[Reservation],
                  listener: Listener | None) -> AsyncIterator[BatchResult]:
    for item in items:
        for repeat in range(1, run.repeats + 1):
            prompt_id = await asyncio.to_thread(
                runtime.store.add_run_item, run, item.prompt, item=item.id, repeat=repeat,
                system=item.system, parts=item.parts)
            tasks = [
                asyncio.create_task(_answer(
                    Exchange(runtime, ref, [ChatMessage("user", item.prompt, item.parts)],
                             system=settings.system_for(item), sampling=settings.explicit,
                             conversation_id=run.conversation_id,
                             lane=lane, parent_id=prompt_id,
                             reservation=unused.pop(0) if unused else None),
                    lane, repeat, item, listener))
                for lane, ref in enumerate(run.models)
            ]
            try:
                for finished in asyncio.as_completed(tasks):
                    yield await finished
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)


async def _answer(exchange: Exchange, lane: int, repeat: int, item: PromptItem,
                  listener: Listener | None) -> BatchResult:
    error: StreamError | None = None

    def heard(event: Notice | Retrying) -> None:
        if listener is not None:
            listener(Heard(exchange.ref, lane, repeat, item, event))

    capped = False
    try:
        async for event in exchange.run():
            if exchange.budget_note and not capped:
                capped = True  # llmtui chose max_tokens to hold a limit: said once
                heard(Notice(exchange.budget_note))
            if isinstance(event, StreamError):
                error = event
            elif isinstance(event, (Notice, Retrying)):
                heard(event)
    except asyncio.CancelledError:
        exchange.stats.interrupted = True
        raise
    return BatchResult(exchange.ref, lane, repeat, item, exchange.stats, error)


@dataclass(frozen=True, slots=True)
class Summary:
    """One model over the batch. Percentiles (llmtui.core.stats) over answers that did not
    fail and have the figure; the mean cost over every result whose cost is known."""

    model: str
    results: int
    errors: int
    ttft_p50: float | None
    ttft_p95: float | None
    tps_p50: float | None
    tps_p95: float | None
    mean_cost: Decimal | None


def summarize(models: Sequence[str], results: Sequence[BatchResult]) -> list[Summary]:
    out = []
    for ref in models:
        mine = [r for r in results if r.model == ref]
        ok = [r for r in mine if not r.failed]
        ttfts = [r.stats.ttft_s for r in ok if r.stats.ttft_s is not None]
        rates = [r.stats.tokens_per_s for r in ok if r.stats.tokens_per_s is not None]
        costs = [r.stats.cost.amount for r in mine if r.stats.cost.amount is not None]
        out.append(Summary(
            ref, len(mine), sum(r.failed for r in mine),
            percentile(ttfts, 0.5), percentile(ttfts, 0.95),
            percentile(rates, 0.5), percentile(rates, 0.95),
            sum(costs, Decimal(0)) / len(costs) if costs else None,
        ))
    return out
