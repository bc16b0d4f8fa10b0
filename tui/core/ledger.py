"""The spend ledger: one charge per request that left the machine, kept apart from history.

A charge is written *before* the request is sent, holding the request's worst case
(`reserved`), in the same SQLite transaction that checked the limits (budget.py), so
two processes can never both pass a limit only one fits. When the answer ends the
charge is settled to its real cost. A process that dies in between (kill -9, a
crash) leaves it reserved; the next start marks it `lost` and it keeps counting at
its worst case, so spend can only over-count money it cannot know, never forget it.

Deleting a conversation never touches the ledger (conversation_id is a plain number,
not a foreign key). Amounts are Decimal text in SQLite and are re-checked on every
read, so a bad row (NaN from an older llmtui) is counted as unknown, never summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from llmtui.providers.money import usd

if TYPE_CHECKING:
    from collections.abc import Iterable


class ChargeState(StrEnum):
    RESERVED = "reserved"
    """Sent (or about to be); counts at its worst case until settled."""
    SETTLED = "settled"
    LOST = "lost"
    """Its process died before usage arrived: counts at its worst case for good."""


class CostSource(StrEnum):
    """How a cost is known."""

    PROVIDER = "provider"
    """Reported by the provider (OpenRouter usage.cost, xAI cost_in_usd_ticks)."""
    COMPUTED = "computed"
    """Reported usage x known price."""
    ESTIMATE = "estimate"
    """Tokens guessed from text, or the reserved worst case."""


@dataclass(frozen=True, slots=True)
class NewCharge:
    """A reservation about to be written."""

    provider: str
    model: str
    """The full ref, `groq/llama-3.3-70b-versatile`."""
    reserved: Decimal | None
    """The worst case in USD; None when it cannot be known (no price)."""
    prompt_tokens: int = 0
    max_output_tokens: int | None = None
    conversation_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Settlement:
    """How a charge ended."""

    cost: Decimal | None
    source: CostSource
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_input_tokens: int | None = None
    cache_write_tokens: int | None = None
    reasoning_tokens: int | None = None
    served_by: str | None = None
    conversation_id: int | None = None
    message_id: int | None = None
    note: str = ""
    cache_saving: Decimal | None = None
    """What reading cached input saved against the full input rate."""


@dataclass(frozen=True, slots=True)
class Charge:
    """One ledger row as read back (amounts re-validated)."""

    id: int
    created_at: float
    provider: str
    model: str
    conversation_id: int | None
    message_id: int | None
    state: ChargeState
    reserved: Decimal | None
    cost: Decimal | None
    source: CostSource | None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_input_tokens: int | None = None
    served_by: str | None = None
    note: str = ""
    cache_saving: Decimal | None = None

    @property
    def amount(self) -> Decimal | None:
        """What this charge counts for: the settled cost, else the reserved worst case."""
        if self.state is ChargeState.SETTLED and self.cost is not None:
            return self.cost
        return self.reserved

    @property
    def estimated(self) -> bool:
        return self.state is not ChargeState.SETTLED or self.cost is None or (
            self.source is CostSource.ESTIMATE)

    @property
    def in_flight(self) -> bool:
        return self.state is ChargeState.RESERVED


def charge_from_row(row: tuple[object, ...]) -> Charge:
    """A ledger row -> Charge; any amount that is not a plausible USD figure becomes unknown."""
    (id_, created, provider, model, conv, message, state, reserved, cost, source,
     inp, out, cached, served_by, note, saving) = row
    try:
        parsed_state = ChargeState(str(state))
    except ValueError:
        parsed_state = ChargeState.LOST
    try:
        parsed_source = CostSource(str(source)) if source is not None else None
    except ValueError:
        parsed_source = None
    return Charge(
        _int(id_) or 0, float(str(created)), str(provider), str(model),
        _int(conv), _int(message),
        parsed_state, usd(reserved), usd(cost), parsed_source,
        _count(inp), _count(out), _count(cached),
        None if served_by is None else str(served_by), str(note or ""), usd(saving),
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


@dataclass(frozen=True, slots=True)
class LedgerSum:
    """A sum of charges. `unknown` counts charges whose amount cannot be known;
    `in_flight` those still reserved and `lost` those whose process died (both counted
    at their worst case)."""

    key: str
    amount: Decimal
    requests: int
    unknown: int = 0
    estimated: bool = False
    in_flight: int = 0
    lost: int = 0
    cache_saved: Decimal = Decimal(0)


def sum_charges(key: str, charges: Iterable[Charge]) -> LedgerSum:
    amount, requests, unknown, estimated, in_flight, lost = Decimal(0), 0, 0, False, 0, 0
    saved = Decimal(0)
    for charge in charges:
        requests += 1
        value = charge.amount
        if value is None:
            unknown += 1
        else:
            amount += value
        estimated = estimated or charge.estimated
        in_flight += charge.in_flight
        lost += charge.state is ChargeState.LOST
        saved += charge.cache_saving or 0
    return LedgerSum(key, amount, requests, unknown, estimated, in_flight, lost, saved)
