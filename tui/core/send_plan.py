"""What a send will ask each model for, before it is sent: the price line and a blind cap.

`planned` builds the request one lane would send (its history, the prompt, the effort and
thinking budget it resolves to, the model's bounds) as the spending limits see it.

`common_cap`: under a spending limit with no max_tokens of the user's, each request gets the
most output that fits, so a pricey model is cut at 72 tokens while a cheap one gets 16384:
in a blind round a cut-off answer would name its model. Both lanes of a blind round are
sent the smallest of those caps instead (each model's own maximum counted too).

Blocking (prices, the catalog cache and the ledger are read): call it in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmtui.core.budget import Planned, Quote, preview
from llmtui.core.catalog.cache import model_bounds
from llmtui.core.reasoning_choice import resolved
from llmtui.providers.base import ChatMessage, ChatRequest, Effort, split_ref

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

Controls = tuple[Effort | None, int | None]


def planned(runtime: Runtime, ref: str, messages: Sequence[ChatMessage], system: str | None,
            max_tokens: int | None, asked: Controls = (None, None)) -> Planned:
    provider_id, model = split_ref(ref)
    settings = runtime.config.model_settings(ref)
    effort, budget = resolved(*asked, (settings.reasoning_effort, settings.thinking_budget))
    request = ChatRequest(model, tuple(messages), system=system, max_tokens=max_tokens,
                          reasoning_effort=effort, thinking_budget=budget)
    max_output, context = model_bounds(runtime, provider_id, model)
    return Planned(ref, request, runtime.price(provider_id, model), max_output, context)


def common_cap(runtime: Runtime, refs: Sequence[str], messages: Sequence[Sequence[ChatMessage]],
               system: str | None, controls: Sequence[Controls] = ()) -> int | None:
    """The one max_tokens for every lane of a blind round, or None when no limit chose one."""
    plans = [planned(runtime, ref, messages[i], system, None,
                     controls[i] if i < len(controls) else (None, None))
             for i, ref in enumerate(refs)]
    quotes = [preview(runtime.config, runtime.store, p) for p in plans]
    chosen = [q.max_tokens for q in quotes if isinstance(q, Quote) and q.max_tokens is not None]
    if not chosen:
        return None
    return min(chosen + [p.model_max_output for p in plans if p.model_max_output])
