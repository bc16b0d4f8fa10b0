"""Hard spending limits that hold: checked and reserved before a request leaves the machine.

`[budget] per_request_usd / daily_usd / monthly_usd` and `[providers.NAME] monthly_usd`.

Every request's worst case is prompt tokens x input rate + output tokens x output rate
(+ any per-request fee), where the prompt counts one token per UTF-8 byte (no tokenizer
makes more) and the output is the request's `max_tokens` plus any thinking budget.
With no `max_tokens` from the user and a limit set, one is chosen: the most output
that fits the tightest limit (said in one line), never more than the model's own
maximum. A request whose prompt alone does not fit is refused; so is a model whose
price nobody knows (unless `[budget] allow_unpriced = true`) or that bills hardware
time, which cannot be foreseen.

`reserve` checks the ledger's totals and writes the worst case into it in ONE SQLite
transaction (Store.reserve_charges), so two processes (or two compare lanes) can never
both pass a limit only one of them fits. `quote` is the same arithmetic without the
write: the composer shows it before Enter.

One file because `quote`, `reserve` and `preview` must compute the same worst case against the
same limits: one arithmetic, which two files could let drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core import spend
from llmtui.core.image_tokens import image_tokens, request_prompt_tokens
from llmtui.core.ledger import LedgerSum, NewCharge
from llmtui.core.pricing.cost import cost_of, format_usd, rates_for
from llmtui.providers.base import ErrorKind, Remedy, StreamError, Usage
from llmtui.providers.reasoning import thinking_budget

if TYPE_CHECKING:
    from llmtui.core.config import Config
    from llmtui.core.store import LedgerView, Store
    from llmtui.providers.base import ChatRequest, Price

MESSAGE_OVERHEAD_TOKENS = 8
"""Role markers and separators a chat template adds around each message."""
SAFE_MAX_OUTPUT = 16_384
"""The most output llmtui asks for to hold a limit when the model's own maximum is unknown:
every current chat model takes it, so the cap never turns into a 400."""
MILLION = Decimal(1_000_000)


class Refused(Exception):
    """A request (or batch) the limits do not allow; carries the error to show."""

    def __init__(self, error: StreamError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    """per-request, daily, monthly, `groq monthly`."""
    amount: Decimal
    setting: str
    since: float | None
    """Start of the window it sums (None: per request, nothing to sum)."""
    provider: str | None = None

    @property
    def when(self) -> str:
        return "today" if self.name == "daily" else "this month"

    @property
    def resets(self) -> str:
        return "at midnight" if self.name == "daily" else "on the 1st of next month"


@dataclass(frozen=True, slots=True)
class Quote:
    """What one request may cost at most, and what will be sent to keep it so."""

    ref: str
    prompt_tokens: int
    """The upper bound used for limits (one per UTF-8 byte)."""
    max_tokens: int | None
    """The `max_tokens` to send (the user's, one chosen to fit, or None: the provider's)."""
    worst: Decimal | None
    """None when it cannot be known (no price, hardware time, no output bound)."""
    likely: Decimal | None = None
    """The prompt at the usual ~4 bytes a token, with no output: the floor of the cost."""
    capped_by: Limit | None = None
    headroom: Decimal | None = None
    """What the tightest limit still allows, before this request."""

    @property
    def note(self) -> str:
        """The one line that says llmtui chose max_tokens, or ""."""
        if self.capped_by is None or self.max_tokens is None or self.headroom is None:
            return ""
        return (f"max_tokens {self.max_tokens}: the most that fits the {self.capped_by.name} "
                f"spending limit ({format_usd(self.headroom)} left)")


def limits_for(config: Config, provider_id: str) -> list[Limit]:
    budget = config.budget
    user = config.providers.get(provider_id)
    found = [
        Limit("per-request", budget.per_request_usd, "[budget] per_request_usd", None)
        if budget.per_request_usd is not None else None,
        Limit("daily", budget.daily_usd, "[budget] daily_usd", spend.day_start())
        if budget.daily_usd is not None else None,
        Limit("monthly", budget.monthly_usd, "[budget] monthly_usd", spend.month_start())
        if budget.monthly_usd is not None else None,
        Limit(f"{provider_id} monthly", user.monthly_usd, f"[providers.{provider_id}] monthly_usd",
              spend.month_start(), provider_id)
        if user is not None and user.monthly_usd is not None else None,
    ]
    return [limit for limit in found if limit is not None]


def has_limits(config: Config, provider_id: str) -> bool:
    return bool(limits_for(config, provider_id))


def prompt_tokens(request: ChatRequest) -> int:
    """The usual estimate (~4 bytes a token of text), images by the dearest formula."""
    return request_prompt_tokens(request)


def prompt_tokens_bound(request: ChatRequest) -> int:
    """At most one token per UTF-8 byte, plus each message's template overhead; an attached
    text file counts its text, an image the dearest provider formula (image_tokens.py)."""
    from llmtui.providers.parts import ImagePart

    texts = ([request.system] if request.system else []) + [m.content for m in request.messages]
    pictures = 0
    for message in request.messages:
        for part in message.parts:
            if isinstance(part, ImagePart):
                pictures += image_tokens("", request.model, part)
            else:
                texts.append(part.as_text())
    return (sum(len(t.encode("utf-8")) for t in texts)
            + MESSAGE_OVERHEAD_TOKENS * len(texts) + pictures)


def _is_free(price: Price | None) -> bool:
    if price is None or price.input is None:
        return False
    rates = (price.input, price.output, price.cached_input, price.per_second, price.per_request)
    return all(r is None or r == 0 for r in rates)


Spent = Callable[[Limit], LedgerSum]


def quote(
    config: Config, ref: str, request: ChatRequest, price: Price | None, spent: Spent,
    *, model_max_output: int | None = None, context_length: int | None = None,
) -> Quote:
    """The worst case of one request and the max_tokens to send; raises Refused."""
    provider_id = ref.partition("/")[0]
    limits = limits_for(config, provider_id)
    prompt = prompt_tokens_bound(request)
    thinking = thinking_budget(request) or 0
    likely = cost_of(Usage(prompt_tokens(request), 0), price).amount if price else None
    if _is_free(price):
        return Quote(ref, prompt, request.max_tokens, Decimal(0), Decimal(0))
    ceiling = _output_ceiling(model_max_output, context_length, prompt)
    out_bound = request.max_tokens if request.max_tokens is not None else ceiling
    worst = _worst(price, prompt, None if out_bound is None else out_bound + thinking)
    if not limits:
        return Quote(ref, prompt, request.max_tokens, worst, likely)
    left = [(limit, _headroom(limit, spent)) for limit in limits]
    tightest, room = min(left, key=lambda pair: pair[1])
    if room <= 0:
        raise _reached(tightest, spent)
    if _unforeseeable(price):
        _check_priced(config, ref, price)  # refuses unless [budget] allow_unpriced
        return Quote(ref, prompt, request.max_tokens, None, likely, headroom=room)
    assert price is not None
    prompt_cost = _worst(price, prompt, 0) or Decimal(0)
    if prompt_cost > room:
        raise _refuse(f"the prompt alone (up to {prompt} tokens) could cost "
                      f"{format_usd(prompt_cost)}, over {_what_left(tightest, room)}", tightest)
    if request.max_tokens is not None:
        if worst is not None and worst > room:
            raise _refuse(f"{ref} could cost {format_usd(worst)} (up to {prompt} prompt + "
                          f"{request.max_tokens + thinking} output tokens"
                          f"{', thinking included' if thinking else ''}), over "
                          f"{_what_left(tightest, room)}; lower --max-tokens", tightest)
        return Quote(ref, prompt, request.max_tokens, worst, likely, headroom=room)
    out_rate = rates_for(price, prompt).output or Decimal(0)
    if out_rate == 0 and ceiling is None:
        return Quote(ref, prompt, None, prompt_cost, likely, headroom=room)  # output is free
    fits = ceiling or SAFE_MAX_OUTPUT if out_rate == 0 else math.floor(
        (room - prompt_cost) * MILLION / out_rate) - thinking
    if fits < 1:
        raise _refuse(f"{ref} has no room for an answer: the prompt (up to {prompt} tokens)"
                      + (f" and a thinking budget of {thinking} tokens" if thinking else "")
                      + f" leave no room under {_what_left(tightest, room)}", tightest)
    if ceiling is not None and fits >= ceiling:
        # Whatever the model writes fits: nothing to send, the worst case is its own limit.
        return Quote(ref, prompt, None, worst, likely, headroom=room)
    cap = min(fits, model_max_output or SAFE_MAX_OUTPUT)
    capped_by = tightest if cap == fits else None
    return Quote(ref, prompt, cap, _worst(price, prompt, cap + thinking), likely, capped_by, room)


def _output_ceiling(model_max_output: int | None, context: int | None, prompt: int) -> int | None:
    """The most a model can write: its own maximum, else what the context leaves."""
    if model_max_output:
        return model_max_output
    if context and context > prompt:
        return context - prompt
    return None


def _worst(price: Price | None, prompt: int, output: int | None) -> Decimal | None:
    if price is None or output is None or price.per_second is not None:
        return None
    return cost_of(Usage(prompt, output), price).amount


def _unforeseeable(price: Price | None) -> bool:
    return price is None or (price.input is None and price.per_request is None) or (
        price.per_second is not None)


def _check_priced(config: Config, ref: str, price: Price | None) -> None:
    if config.budget.allow_unpriced:
        return
    if price is None or (price.input is None and price.per_request is None):
        raise Refused(StreamError(
            ErrorKind.BUDGET,
            f"no price is known for {ref}, so a spending limit cannot hold; set "
            f"[prices.\"{ref}\"] input and output (USD per 1M tokens), or [budget] "
            "allow_unpriced = true to send it uncounted",
            remedy=Remedy.FIX_CONFIG, setting=f'[prices."{ref}"]'))
    if price.per_second is not None:
        raise Refused(StreamError(
            ErrorKind.BUDGET,
            f"{ref} is billed by hardware time, which cannot be foreseen, so a spending limit "
            "cannot hold; set [budget] allow_unpriced = true to send it anyway",
            remedy=Remedy.FIX_CONFIG, setting="[budget] allow_unpriced"))


def _headroom(limit: Limit, spent: Spent) -> Decimal:
    if limit.since is None:
        return limit.amount
    return limit.amount - spent(limit).amount


def _what_left(limit: Limit, room: Decimal) -> str:
    if limit.since is None:
        return f"the per-request spending limit {format_usd(limit.amount)}"
    return f"the {limit.name} spending limit {format_usd(limit.amount)} ({format_usd(room)} left)"


def _refuse(message: str, limit: Limit) -> Refused:
    return Refused(StreamError(ErrorKind.BUDGET, message, remedy=Remedy.RAISE_BUDGET,
                               setting=limit.setting))


def _reached(limit: Limit, spent: Spent) -> Refused:
    if limit.since is None:
        return _refuse(f"the per-request spending limit is {format_usd(limit.amount)}", limit)
    total = spent(limit)
    flight = f", {total.in_flight} still in flight" if total.in_flight else ""
    return _refuse(f"{limit.name} spending limit {format_usd(limit.amount)} reached "
                   f"({format_usd(total.amount)} spent {limit.when}{flight}); it resets "
                   f"{limit.resets}", limit)


# ---------------------------------------------------------------- reserving


@dataclass(frozen=True, slots=True)
class Planned:
    """One request of a batch (or a single send)."""

    ref: str
    request: ChatRequest
    price: Price | None
    model_max_output: int | None = None
    context_length: int | None = None
    conversation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Reservation:
    """A charge in the ledger holding a request's worst case, and what to send."""

    charge_id: int
    quote: Quote

    def request(self, request: ChatRequest) -> ChatRequest:
        if request.max_tokens == self.quote.max_tokens:
            return request
        return replace(request, max_tokens=self.quote.max_tokens)


def reserve(config: Config, store: Store, planned: Sequence[Planned]) -> list[Reservation]:
    """Quote every request against the limits and write them all into the ledger, in one
    transaction: all are reserved, or (Refused) none. Blocking: call from a thread."""
    quotes: list[Quote] = []

    def plan(view: LedgerView) -> list[NewCharge]:
        quotes.clear()
        pending: list[tuple[str, Decimal]] = []

        def spent(limit: Limit) -> LedgerSum:
            assert limit.since is not None
            total = view.spent(limit.since, limit.provider)
            extra = sum((amount for provider, amount in pending
                         if limit.provider in (None, provider)), Decimal(0))
            return replace(total, amount=total.amount + extra)

        charges = []
        for n, p in enumerate(planned, 1):
            try:
                q = quote(config, p.ref, p.request, p.price, spent,
                          model_max_output=p.model_max_output, context_length=p.context_length)
            except Refused as refused:
                if len(planned) == 1:
                    raise
                error = refused.error
                raise Refused(replace(error, message=f"request {n} of {len(planned)}: "
                                      f"{error.message}")) from None
            quotes.append(q)
            provider_id = p.ref.partition("/")[0]
            pending.append((provider_id, q.worst or Decimal(0)))
            charges.append(NewCharge(provider_id, p.ref, q.worst, q.prompt_tokens, q.max_tokens,
                                     p.conversation_id, q.note))
        return charges

    ids = store.reserve_charges(plan)
    return [Reservation(i, q) for i, q in zip(ids, quotes, strict=True)]


def preview(config: Config, store: Store, planned: Planned) -> Quote | StreamError:
    """The quote `reserve` would make now, without reserving: the price of Enter."""
    view_spent = store.ledger_spent

    def spent(limit: Limit) -> LedgerSum:
        assert limit.since is not None
        return view_spent(limit.since, limit.provider)

    try:
        return quote(config, planned.ref, planned.request, planned.price, spent,
                     model_max_output=planned.model_max_output,
                     context_length=planned.context_length)
    except Refused as refused:
        return refused.error
