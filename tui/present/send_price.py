"""The price of Enter: what sending the draft would cost on each model in play, and what the
spending limits leave — from the very function the limits use (budget.preview).

Blocking (prices, the catalog cache and the ledger are read): call it in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core import spend
from llmtui.core.budget import limits_for, preview
from llmtui.core.catalog.cache import model_bounds
from llmtui.core.pricing.cost import format_usd
from llmtui.core.reasoning_choice import resolved
from llmtui.providers.base import ChatMessage, ChatRequest, Effort, StreamError, split_ref

if TYPE_CHECKING:
    from llmtui.core.budget import Quote
    from llmtui.core.runtime import Runtime
    from llmtui.providers.parts import Part


def send_price(runtime: Runtime, models: Sequence[str], histories: Sequence[Sequence[ChatMessage]],
               system: str | None, draft: str, *, max_tokens: int | None = None,
               controls: Sequence[tuple[Effort | None, int | None]] = (),
               parts: Sequence[Part] = ()) -> str:
    """One line, or "" when there is nothing to say (no draft, only free models, no limits).

    `max_tokens` and `controls` (each model's effort and budget, as ChatSession.controls) are
    what the send will ask for: a thinking budget is output, so it raises the worst case.
    `parts`: the files attached and not yet sent (the chips), which Enter sends with it."""
    from llmtui.core.budget import Planned
    from llmtui.core.session import user_message

    if not draft.strip() or not models:
        return ""
    said: list[str] = []
    priced = False
    for lane, ref in enumerate(models):
        provider_id, model = split_ref(ref)
        history = list(histories[lane]) if lane < len(histories) else []
        asked = controls[lane] if lane < len(controls) else (None, None)
        settings = runtime.config.model_settings(ref)
        effort, budget = resolved(*asked, (settings.reasoning_effort, settings.thinking_budget))
        request = ChatRequest(model, (*history, user_message(draft, parts)), system=system,
                              max_tokens=max_tokens, reasoning_effort=effort, thinking_budget=budget)
        max_output, context = model_bounds(runtime, provider_id, model)
        planned = Planned(ref, request, runtime.price(provider_id, model), max_output, context)
        found = preview(runtime.config, runtime.store, planned)
        name = ref if len(models) > 1 else "Enter"
        if isinstance(found, StreamError):
            said.append(f"{name}: refused ({_short(found)})")
            priced = True
            continue
        text = _range(found)
        priced = priced or text != "free"
        said.append(f"{name} {text}")
    left = _left(runtime, {split_ref(ref)[0] for ref in models})
    if not priced and not left:
        return ""
    return " · ".join(said + left)


def _range(quote: Quote) -> str:
    if quote.worst == 0 and quote.likely in (0, None):
        return "free"
    if quote.likely is None and quote.worst is None:
        return "$? (no price known)"
    low = f"~{format_usd(quote.likely)}" if quote.likely is not None else "$?"
    if quote.worst is None:
        return f"{low}+ (output unbounded)"
    return f"{low}, at most {format_usd(quote.worst)}"


def _short(error: StreamError) -> str:
    return error.message.split(";")[0].split(", so ")[0]


def _left(runtime: Runtime, providers: set[str]) -> list[str]:
    """What each daily/monthly limit leaves, tightest first."""
    seen: dict[str, Decimal] = {}
    for provider_id in sorted(providers):
        for limit in limits_for(runtime.config, provider_id):
            if limit.since is None or limit.name in seen:
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
