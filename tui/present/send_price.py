"""The price of Enter: what sending the draft would cost on each model in play, and what the
spending limits leave — from the very function the limits use (budget.preview).

Blocking (prices, the catalog cache and the ledger are read): call it in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core import spend
from llmtui.core.budget import Quote, limits_for, preview
from llmtui.core.pricing.cost import format_usd
from llmtui.core.sampling import Sampling
from llmtui.core.send_plan import common_cap, planned
from llmtui.providers.base import ChatMessage, Effort, StreamError, split_ref

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime
    from llmtui.providers.parts import Part


def send_price(runtime: Runtime, models: Sequence[str], histories: Sequence[Sequence[ChatMessage]],
               system: str | None, draft: str, *, sampling: Sequence[Sampling] = (),
               controls: Sequence[tuple[Effort | None, int | None]] = (),
               parts: Sequence[Part] = (), blind: bool = False) -> str:
    """One line, or "" when there is nothing to say (no draft, only free models, no limits).

    `sampling` (each model's, as ChatSession.sampling_for: its max_tokens, then the model's
    [models] table's, then [defaults]') and `controls` (each model's effort and budget, as
    ChatSession.controls) are what the send will ask for: a thinking budget is output, so it
    raises the worst case.
    `parts`: the files attached and not yet sent (the chips), which Enter sends with it.
    `blind`: a blind round, priced as one total at the cap both lanes share (send_plan), with
    no model named and no provider's own limit (either would tell the sides apart)."""
    from llmtui.core.session import user_message

    if not draft.strip() or not models:
        return ""
    question = user_message(draft, parts)
    messages = [(*(histories[lane] if lane < len(histories) else ()), question)
                for lane in range(len(models))]
    caps = [runtime.config.sampling_for(ref, sampling[lane] if lane < len(sampling) else Sampling())
            .max_tokens for lane, ref in enumerate(models)]
    if blind and all(cap is None for cap in caps):
        caps = [common_cap(runtime, models, messages, system, controls)] * len(models)
    quotes = [preview(runtime.config, runtime.store, planned(
                  runtime, ref, messages[lane], system, caps[lane],
                  controls[lane] if lane < len(controls) else (None, None)))
              for lane, ref in enumerate(models)]
    said, priced = _total(quotes) if blind else _each(models, quotes)
    providers = {split_ref(ref)[0] for ref in models}
    left = _left(runtime, providers, every_provider=not blind)
    if not priced and not left:
        return ""
    return " · ".join(said + left)


def _each(models: Sequence[str], quotes: Sequence[Quote | StreamError]) -> tuple[list[str], bool]:
    said: list[str] = []
    priced = False
    for ref, found in zip(models, quotes, strict=True):
        name = ref if len(models) > 1 else "Enter"
        if isinstance(found, StreamError):
            said.append(f"{name}: refused ({_short(found)})")
            priced = True
            continue
        text = _range(found.likely, found.worst)
        priced = priced or text != "free"
        said.append(f"{name} {text}")
    return said, priced


def _total(quotes: Sequence[Quote | StreamError]) -> tuple[list[str], bool]:
    """A blind round: what both answers cost together (a refusal's text names its model)."""
    if any(isinstance(q, StreamError) for q in quotes):
        return ["Enter: refused, over a spending limit (which model: after the vote)"], True
    found = [q for q in quotes if isinstance(q, Quote)]
    likely = None if any(q.likely is None for q in found) else sum(
        (q.likely for q in found if q.likely is not None), Decimal(0))
    worst = None if any(q.worst is None for q in found) else sum(
        (q.worst for q in found if q.worst is not None), Decimal(0))
    text = _range(likely, worst)
    return [f"Enter (both answers) {text}"], text != "free"


def _range(likely: Decimal | None, worst: Decimal | None) -> str:
    if worst == 0 and likely in (0, None):
        return "free"
    if likely is None and worst is None:
        return "$? (no price known)"
    low = f"~{format_usd(likely)}" if likely is not None else "$?"
    if worst is None:
        return f"{low}+ (output unbounded)"
    return f"{low}, at most {format_usd(worst)}"


def _short(error: StreamError) -> str:
    return error.message.split(";")[0].split(", so ")[0]


def _left(runtime: Runtime, providers: set[str], *, every_provider: bool = True) -> list[str]:
    """What each daily/monthly limit leaves, tightest first (`every_provider` False: only the
    limits on all spending, none named after a provider)."""
    seen: dict[str, Decimal] = {}
    for provider_id in sorted(providers):
        for limit in limits_for(runtime.config, provider_id):
            if limit.since is None or limit.name in seen:
                continue
            if limit.provider is not None and not every_provider:
                continue
            spent = runtime.store.ledger_spent(limit.since, limit.provider).amount
            seen[limit.name] = limit.amount - spent
    return [f"{format_usd(max(room, Decimal(0)))} left {_window(name)}"
            for name, room in sorted(seen.items(), key=lambda kv: kv[1])]


def _window(name: str) -> str:
    if name == "daily":
        return "today"
    if name == "monthly":
        return "this month"
    return f"for {name.removesuffix(' monthly')} this month"


def conversation_note(runtime: Runtime, conversation_id: int | None) -> str:
    """The cost meter's note: what the providers' caches saved in this conversation."""
    if conversation_id is None:
        return ""
    saved = spend.total(runtime.store, conversation_id=conversation_id).cache_saved
    return f"cache saved {format_usd(saved)} in this conversation" if saved else ""
