"""Spending limits for a whole batch (`llmtui compare --runs N --prompts FILE`), before any send.

A batch is many requests started together, so checking each as it goes would let the first
ones through before the limit notices. Here every planned request is quoted as
llmtui.core.budget quotes one (its worst case), and all of them are reserved in the spend
ledger in one transaction, or none: the whole batch fits every limit, or nothing is sent.
Each Exchange of the batch then uses its reservation; `release` gives back the ones a
stopped batch never sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmtui.core.budget import Planned, Reservation, reserve
from llmtui.core.catalog.cache import model_bounds
from llmtui.providers.base import ChatRequest, split_ref

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime


def planned(runtime: Runtime, ref: str, request: ChatRequest,
            conversation_id: int | None = None) -> Planned:
    """One request as the budget sees it: its price and the model's output bound."""
    provider_id, model = split_ref(ref)
    max_output, context = model_bounds(runtime, provider_id, model)
    return Planned(ref, request, runtime.price(provider_id, model), max_output, context,
                   conversation_id)


def reserve_batch(runtime: Runtime, requests: Sequence[tuple[str, ChatRequest]]) -> list[Reservation]:
    """Reserve every request's worst case, all or none (raises budget.Refused). Blocking."""
    plans = [planned(runtime, ref, request) for ref, request in requests]
    return reserve(runtime.config, runtime.store, plans)


def release(runtime: Runtime, reservations: Sequence[Reservation]) -> None:
    """Give back reservations whose request was never sent. Blocking."""
    runtime.store.release_charges([r.charge_id for r in reservations])
