"""One prompt -> one model's answer, end to end, for the CLI and the TUI alike.

The story of `Exchange.run`: preflight (the key, the provider's own problems, the price,
the budget) -> the provider's stream with retries (retry.py) -> each event applied to
the live `stats` -> the answer logged to the store as it grows (answer_log.py).
Cancelling it (Esc) keeps the text, marked interrupted.

One file because it is that story, in order; each step it hands off already has its own module
(budget, retry, answer_log, answer_stats, pricing).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, replace

from llmtui.core.answer_log import AnswerLog
from llmtui.core.answer_stats import ExchangeStats
from llmtui.core.budget import Planned, Refused, Reservation, reserve
from llmtui.core.catalog.vision import image_gate
from llmtui.core.config import ConfigError
from llmtui.core.image_tokens import request_prompt_tokens
from llmtui.core.ledger import CostSource, Settlement
from llmtui.core.pricing.cost import cache_saving
from llmtui.core.reasoning_choice import resolved
from llmtui.core.retry import Retrying, with_retries
from llmtui.core.runtime import Runtime
from llmtui.core.sampling import Sampling, to_json
from llmtui.core.secrets import ApiKey, redact
from llmtui.providers.base import (
    ChatMessage,
    ChatRequest,
    Effort,
    ErrorKind,
    Notice,
    Price,
    Provider,
    ProviderSpec,
    RateLimit,
    ReasoningDelta,
    Remedy,
    ServedBy,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
    split_ref,
)
from llmtui.providers.reasoning import may_think_silently, thinks_out_of_sight
from llmtui.providers.sampling import fit_sampling

__all__ = ["Exchange", "ExchangeEvent", "ExchangeStats", "Retrying"]  # ExchangeStats: answer_stats.py

ExchangeEvent = StreamEvent | Retrying

@dataclass(frozen=True, slots=True)
class _Ready:
    """What preflight found: everything needed to send."""

    spec: ProviderSpec
    model: str
    request: ChatRequest
    api_key: ApiKey | None


class Exchange:
    def __init__(
        self,
        runtime: Runtime,
        ref: str,
        history: Sequence[ChatMessage],
        *,
        system: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        conversation_id: int | None = None,
        lane: int = 0,
        parent_id: int | None = None,
        reasoning_effort: Effort | None = None,
        thinking_budget: int | None = None,
        reservation: Reservation | None = None,
        sampling: Sampling | None = None,
    ) -> None:
        """`reasoning_effort` / `thinking_budget`: this request's; neither takes the model's
        `[models."REF"]` settings from config.toml (as a pair: core/reasoning_choice.resolved).
        `reservation`: this request's charge, when a batch reserved it already
        (budget.reserve); otherwise the Exchange reserves its own before sending. `sampling`
        (with `temperature` / `max_tokens` over it): what a flag, preset or the panel set;
        unset values come from `[models."REF"]`, then [defaults]."""
        self.runtime = runtime
        settings = runtime.config.model_settings(ref)
        self.reasoning_effort, self.thinking_budget = resolved(
            reasoning_effort, thinking_budget, (settings.reasoning_effort, settings.thinking_budget))
        explicit = Sampling(temperature=temperature, max_tokens=max_tokens).over(sampling or Sampling())
        self.sampling = runtime.config.sampling_for(ref, explicit)
        """What this answer asks for, before the provider's own rules (providers.sampling)."""
        self.ref = ref
        self.history = tuple(history)
        self.system = system
        self.temperature = self.sampling.temperature
        self.max_tokens = self.sampling.max_tokens
        self.conversation_id = conversation_id
        self.lane = lane
        self.parent_id = parent_id
        self.stats = ExchangeStats(ref)
        # Refined for the provider's own image formula once preflight knows its kind.
        self.stats.prompt_tokens_estimate = request_prompt_tokens(
            ChatRequest(model=ref, messages=self.history, system=system))
        self.warning: Notice | None = None
        """Said once before the answer (an image sent to a model nobody says can see)."""
        self.notes: list[Notice] = []
        """Sampling parameters the provider does not take, said before the answer (once a run)."""
        self.sent = Sampling()
        """The sampling parameters the request carries, after the provider's rules (stored)."""
        self.key_source: str | None = None
        self._key_env: str | None = None
        self.reservation = reservation
        self.budget_note = ""
        """One line when llmtui chose max_tokens to hold a limit (ask prints it, the TUI shows it)."""
        self._charge_open = False

    # ------------------------------------------------------------ run

    async def run(self) -> AsyncGenerator[ExchangeEvent, None]:
        """Stream events; always ends with StreamDone or StreamError (or is cancelled)."""
        ready = await self._preflight()
        if isinstance(ready, StreamError):
            await self._end(ready)
            yield ready
            return
        stats = self.stats
        if self.warning is not None:
            yield self.warning
        for note in self.notes:
            yield note
        log = None
        if self.conversation_id is not None:
            log = await AnswerLog.add(self.runtime.store, self.conversation_id, lane=self.lane,
                                      model=self.ref, parent_id=self.parent_id,
                                      reasoning_effort=self.reasoning_effort,
                                      thinking_budget=self.thinking_budget,
                                      params=to_json(self.sent), progress=stats.progress)
            stats.message_id = log.message_id
        try:
            provider = self.runtime.provider(ready.spec.id, ready.api_key.reveal() if ready.api_key else None)
        except (ImportError, ValueError) as exc:
            error = StreamError(ErrorKind.CONFIG, f"{ready.spec.id}: cannot start: {exc}")
            await self._end(error, log)  # before the yield: the caller may stop reading there
            yield error
            return
        events = self._stream(provider, ready)
        try:
            if log is not None and log.unsaved_from_start:  # it streams; kept when it ends
                yield Notice(f"cannot save this answer to the history ({log.unsaved_from_start}); "
                             "it will be written to a recovery file when it ends")
            # TTFT counts from the request, not from local set-up (keyring, store, imports).
            stats.started = time.monotonic()
            async for event in events:
                if isinstance(event, StreamError):
                    event = self._explain(event)
                if isinstance(event, (StreamDone, StreamError)):
                    # Record the answer first: a cancel during the close below must not
                    # leave it marked "streaming". Then close the adapter now (its HTTP
                    # response, a local model's thread), not at loop shutdown.
                    unsaved = await self._end(event, log)
                    await events.aclose()
                    if unsaved:
                        yield Notice(unsaved)
                    yield event
                    return
                if isinstance(event, Retrying):
                    yield event
                    continue
                stats.apply(event)
                await self._note(event, ready, log)
                yield event
                if log is not None and (news := log.news()):
                    yield Notice(news)  # its conversation was deleted meanwhile
        except BaseException:
            # Cancelled (Esc, Ctrl+C), closed by its reader or crashed: keep what arrived,
            # marked interrupted; then close the adapter now, as above.
            if not stats.settled:
                stats.interrupted = True
                await self._end(None, log)
            await events.aclose()
            raise

    def _stream(self, provider: Provider, ready: _Ready) -> AsyncGenerator[StreamEvent | Retrying, None]:
        key = ready.api_key.reveal() if ready.api_key else None

        def scrub(error: StreamError) -> StreamError:
            return replace(error, message=redact(error.message, key)) if key else error

        net = self.runtime.config.network
        first_wait = net.read_timeout
        if may_think_silently(ready.spec, ready.request):
            first_wait = max(first_wait, net.think_timeout)
        return with_retries(lambda: provider.stream(ready.request), net,
                            ready.spec.display_name, scrub, first_wait=first_wait)

    async def _preflight(self) -> _Ready | StreamError:
        """The key, the provider's own problems, the price and the budget, before any request."""
        try:
            provider_id, model = split_ref(self.ref)
            spec = self.runtime.spec(provider_id)
        except (ValueError, ConfigError) as exc:
            return StreamError(ErrorKind.CONFIG, str(exc))
        problem = spec.problem()
        if problem is not None:
            return StreamError(ErrorKind.CONFIG, problem, setting=f"[providers.{provider_id}] base_url")
        env_vars = self.runtime.config.env_vars(provider_id)
        # Servers that take no key (Ollama, a local vLLM) skip the keyring: importing it and
        # asking its backend costs a noticeable part of a second on the first request.
        takes_key = not spec.runs_locally and (spec.key_required or bool(env_vars))
        resolved, self.stats.price, _ = await asyncio.gather(
            asyncio.to_thread(self.runtime.resolve_key, provider_id) if takes_key else _nothing(),
            self._lookup_price(provider_id, model),
            self.runtime.warm_client(),
        )
        # The key stays wrapped (its repr is masked) so no traceback's locals can show it;
        # it is revealed only inside the call that hands it to the provider.
        api_key = None
        if resolved is not None:
            api_key = resolved.key
            self.key_source = resolved.describe()
            self._key_env = resolved.where if resolved.source == "env" else None
        elif takes_key and spec.key_required:
            return StreamError(ErrorKind.AUTH, f"no key for {provider_id}", remedy=Remedy.ADD_KEY,
                               setting=" or ".join(env_vars))
        asked = self.sampling
        request = ChatRequest(model=model, messages=self.history, system=self.system,
                              temperature=asked.temperature, max_tokens=asked.max_tokens,
                              reasoning_effort=self.reasoning_effort,
                              thinking_budget=self.thinking_budget, top_p=asked.top_p,
                              seed=asked.seed, stop=asked.stop,
                              starts_in_thought=self.runtime.config.model_settings(self.ref).starts_in_thought)
        fitted = fit_sampling(spec, request)
        request = fitted.request
        self.sent = Sampling(request.temperature, request.top_p, request.max_tokens, request.seed,
                             request.stop)
        self.notes = [Notice(text, names_model=True) for text in fitted.notes
                      if self.runtime.first_time(f"{self.ref}: {text}")]
        if request.has_images:
            gate = await asyncio.to_thread(image_gate, self.runtime, provider_id, spec.kind, model)
            if isinstance(gate, StreamError):
                return gate
            self.warning = gate
        self.stats.prompt_tokens_estimate = request_prompt_tokens(request, spec.kind)
        self.stats.hides_reasoning = thinks_out_of_sight(spec, model)
        reservation = self.reservation
        if reservation is None:
            try:
                reservation = await asyncio.to_thread(self._reserve, provider_id, model, request)
            except Refused as refused:
                return refused.error
            except (sqlite3.Error, OverflowError) as exc:  # the ledger cannot take the charge
                return StreamError(ErrorKind.BUDGET, "the spend ledger cannot record this request "
                                   f"({' '.join(str(exc).split())}), so it was not sent")
        self.reservation, self._charge_open = reservation, True
        self.budget_note = reservation.quote.note
        return _Ready(spec, model, reservation.request(request), api_key)

    def _reserve(self, provider_id: str, model: str, request: ChatRequest) -> Reservation:
        """The worst case into the ledger, checked against the limits (blocking: a thread)."""
        from llmtui.core.catalog.cache import model_bounds

        max_output, context = model_bounds(self.runtime, provider_id, model)
        planned = Planned(self.ref, request, self.stats.price, max_output, context,
                          self.conversation_id)
        return reserve(self.runtime.config, self.runtime.store, [planned])[0]

    async def _lookup_price(self, provider_id: str, model: str, served_by: str | None = None) -> Price | None:
        try:
            return await asyncio.to_thread(self.runtime.price, provider_id, model, served_by)
        except Exception:  # noqa: BLE001 - an unknown price only makes the cost "$?"
            return None

    async def _note(self, event: StreamEvent, ready: _Ready, log: AnswerLog | None) -> None:
        """What an event changes beyond the live figures: the stored text, the price, quotas."""
        if isinstance(event, TextDelta) and log is not None:
            await log.note(text=event.text)
        elif isinstance(event, ReasoningDelta) and log is not None:
            await log.note(reasoning=event.text)
        elif isinstance(event, ServedBy):
            self.stats.price = await self._lookup_price(ready.spec.id, ready.model, event.backend)
        elif isinstance(event, RateLimit):
            await asyncio.to_thread(self._save_rate_limit, ready.spec.id, event)

    def _explain(self, error: StreamError) -> StreamError:
        """Name the setting a remedy concerns; a rejected key says where it came from (an env
        var overrides the keyring)."""
        if error.remedy is Remedy.CHECK_CONNECTION and not error.setting:
            return replace(error, setting=f"[providers.{split_ref(self.ref)[0]}] base_url")
        if error.kind is not ErrorKind.AUTH or not self.key_source:
            return error
        message = f"{error.message} (key from {self.key_source})"
        if self._key_env:
            return replace(error, message=message, remedy=Remedy.FIX_ENV_KEY, setting=self._key_env)
        return replace(error, message=message)

    async def _end(self, error: StreamError | StreamDone | None, log: AnswerLog | None = None) -> str | None:
        """Settle the figures and the cost, and record the answer; what went wrong saving it."""
        stats = self.stats
        if isinstance(error, StreamError):
            stats.error = error
        if error is not None:
            stats.apply(error)
        stats.ended_at = stats.ended_at or time.monotonic()
        if stats.usage is not None and not plausible(stats.usage):
            stats.usage = None  # `{}`, unreadable or negative counts: estimate from the text
        stats.cost = stats.cost_now()
        stats.settled = True
        if log is not None:
            prompt = next((m for m in reversed(self.history) if m.role == "user"), None)
            stats.unsaved = await log.finish(stats.record(), model=self.ref, prompt=prompt)
        if self._charge_open and self.reservation is not None:
            self._charge_open = False
            try:
                await asyncio.to_thread(self.runtime.store.settle_charge,
                                        self.reservation.charge_id, self._settlement())
            except sqlite3.Error:
                pass  # the store cannot take it: the charge keeps its worst case, never less
        return stats.unsaved

    def _settlement(self) -> Settlement:
        stats, cost = self.stats, self.stats.cost
        usage = stats.usage
        source = (CostSource.PROVIDER if cost.reported else
                  CostSource.ESTIMATE if cost.estimated else CostSource.COMPUTED)
        return Settlement(
            cost.amount, source,
            input_tokens=stats.input_tokens, output_tokens=stats.output_tokens,
            cached_input_tokens=usage.cached_input_tokens if usage else None,
            cache_write_tokens=usage.cache_write_tokens if usage else None,
            reasoning_tokens=usage.reasoning_tokens if usage else None,
            served_by=stats.served_by, conversation_id=self.conversation_id,
            message_id=stats.message_id, note=cost.note,
            cache_saving=cache_saving(usage, stats.price))

    def _save_rate_limit(self, provider_id: str, limit: RateLimit) -> None:
        try:
            self.runtime.store.put_cache("rate_limits", provider_id, limit.as_dict())
        except Exception:  # noqa: BLE001 - a busy store must not break a stream
            pass


def plausible(usage: Usage) -> bool:
    """Usage that could be a real request's: no negative count, and some tokens counted
    (every request reads a prompt; an empty `{}` or unreadable counts parse as zeros)."""
    counts = (usage.input_tokens, usage.output_tokens, usage.cached_input_tokens,
              usage.cache_write_tokens)
    return bool(min(counts) >= 0 and (usage.input_tokens > 0 or usage.output_tokens > 0))


async def _nothing() -> None:
    return None
