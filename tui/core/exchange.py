"""One prompt -> one model's answer, end to end, for the CLI and the TUI alike.

An Exchange resolves the provider and key, checks the budget, streams, retries a
429/5xx only before the first token, keeps live numbers (TTFT, tok/s, tokens,
cost), and writes the answer to the store in batches so a crash loses at most the
last fraction of a second. Cancelling it (Esc) keeps the text, marked interrupted.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from llmtui.core.config import ConfigError
from llmtui.core.pricing.cost import Cost, cost_of, estimate_tokens
from llmtui.core.runtime import Runtime
from llmtui.core.secrets import redact
from llmtui.providers.base import (
    ChatMessage,
    ChatRequest,
    ErrorKind,
    RateLimit,
    ServedBy,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
    UsageReport,
    split_ref,
)

FLUSH_EVERY_S = 0.25
RETRYABLE = {ErrorKind.RATE_LIMIT, ErrorKind.SERVER}


@dataclass(frozen=True, slots=True)
class Retrying:
    """Waiting before another try (nothing streamed yet, so nothing is billed twice)."""

    attempt: int
    wait_s: float
    reason: str


ExchangeEvent = StreamEvent | Retrying


@dataclass
class ExchangeStats:
    """Live figures for one answer; the TUI redraws from these."""

    ref: str
    started: float = field(default_factory=time.monotonic)
    first_token_at: float | None = None
    ended_at: float | None = None
    parts: list[str] = field(default_factory=list)
    prompt_tokens_estimate: int = 0
    usage: Usage | None = None
    served_by: str | None = None
    rate_limit: RateLimit | None = None
    finish_reason: str | None = None
    error: StreamError | None = None
    interrupted: bool = False
    cost: Cost = field(default_factory=lambda: Cost(None, True, "not started"))
    message_id: int | None = None

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    @property
    def ttft_s(self) -> float | None:
        return None if self.first_token_at is None else self.first_token_at - self.started

    @property
    def duration_s(self) -> float:
        return (self.ended_at or time.monotonic()) - self.started

    @property
    def usage_estimated(self) -> bool:
        return self.usage is None

    @property
    def output_tokens(self) -> int:
        return self.usage.output_tokens if self.usage else estimate_tokens(self.text)

    @property
    def input_tokens(self) -> int:
        return self.usage.input_tokens if self.usage else self.prompt_tokens_estimate

    @property
    def tokens_per_s(self) -> float | None:
        if self.first_token_at is None:
            return None
        span = (self.ended_at or time.monotonic()) - self.first_token_at
        if span <= 0.05:
            return None
        return self.output_tokens / span

    @property
    def done(self) -> bool:
        return self.ended_at is not None


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
    ) -> None:
        self.runtime = runtime
        self.ref = ref
        self.history = tuple(history)
        self.system = system
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.conversation_id = conversation_id
        self.lane = lane
        self.parent_id = parent_id
        self.stats = ExchangeStats(ref)
        self.stats.prompt_tokens_estimate = estimate_tokens(
            (system or "") + "".join(m.content for m in self.history)
        )
        self.key_source: str | None = None
        self._finished = False

    # ------------------------------------------------------------ helpers

    def _fail(self, kind: ErrorKind, message: str) -> StreamError:
        error = StreamError(kind, message)
        self.stats.error = error
        return error

    def _price(self, provider_id: str, model: str) -> Cost:
        stats = self.stats
        if stats.error is not None and not stats.text and stats.usage is None:
            # Refused, rate limited or failed before any output: providers bill nothing.
            return Cost(Decimal(0), False, "failed before any output; not billed")
        try:
            price = self.runtime.price(provider_id, model, served_by=stats.served_by)
        except Exception as exc:  # noqa: BLE001 - a price bug must never lose an answer
            return Cost(None, True, f"price lookup failed: {type(exc).__name__}")
        usage = stats.usage or Usage(stats.prompt_tokens_estimate, estimate_tokens(stats.text))
        return cost_of(usage, price, estimated=stats.usage is None)

    def _flush(self) -> None:
        if self.stats.message_id is not None:
            import sqlite3

            try:
                self.runtime.store.update_text(self.stats.message_id, self.stats.text)
            except sqlite3.OperationalError:
                pass  # busy past the timeout: the text stays in memory; the next write has it all

    def _finish(self, provider_id: str, model: str) -> None:
        stats = self.stats
        stats.ended_at = stats.ended_at or time.monotonic()
        stats.cost = self._price(provider_id, model)
        self._finished = True
        if stats.message_id is None:
            return
        usage = stats.usage
        status = "done"
        if stats.error is not None:
            status = "error" if not stats.text else "interrupted"
        elif stats.interrupted:
            status = "interrupted"
        self.runtime.store.finish_message(
            stats.message_id,
            content=stats.text,
            status=status,
            input_tokens=stats.input_tokens,
            output_tokens=stats.output_tokens,
            cached_input_tokens=usage.cached_input_tokens if usage else 0,
            cache_write_tokens=usage.cache_write_tokens if usage else 0,
            usage_estimated=int(usage is None),
            cost_usd=None if stats.cost.amount is None else str(stats.cost.amount),
            cost_estimated=int(stats.cost.estimated),
            cost_note=stats.cost.note or None,
            ttft_s=stats.ttft_s,
            duration_s=stats.duration_s,
            finish_reason=stats.finish_reason,
            error_kind=str(stats.error.kind) if stats.error else None,
            error_message=stats.error.message if stats.error else None,
            served_by=stats.served_by,
            usage_raw=json.dumps(dict(usage.raw)) if usage and usage.raw else None,
        )

    # ------------------------------------------------------------ run

    async def run(self) -> AsyncGenerator[ExchangeEvent, None]:
        """Stream events; always ends with StreamDone or StreamError (or is cancelled)."""
        stats = self.stats
        try:
            provider_id, model = split_ref(self.ref)
            spec = self.runtime.spec(provider_id)
        except (ValueError, ConfigError) as exc:
            stats.ended_at = time.monotonic()
            yield self._fail(ErrorKind.CONFIG, str(exc))
            return

        # The key stays wrapped (its repr is masked) so no traceback's locals can show it;
        # it is revealed only inside the call that hands it to the provider.
        api_key = None
        # Servers that take no key (Ollama, a local vLLM) skip the keyring: importing it and
        # asking its backend costs a noticeable part of a second on the first request.
        takes_key = spec.key_required or bool(self.runtime.config.env_vars(provider_id))
        if spec.kind not in ("demo", "local") and takes_key:
            resolved = await asyncio.to_thread(self.runtime.resolve_key, provider_id)
            if resolved is not None:
                api_key = resolved.key
                self.key_source = resolved.describe()
            elif spec.key_required:
                env = " or ".join(self.runtime.config.env_vars(provider_id)) or "its env var"
                stats.ended_at = time.monotonic()
                yield self._fail(
                    ErrorKind.AUTH,
                    f"no key for {provider_id}: run `llmtui keys set {provider_id}` "
                    f"(press ctrl+k in the TUI) or set {env}",
                )
                return
        if not spec.base_url and spec.kind == "openai":
            stats.ended_at = time.monotonic()
            yield self._fail(
                ErrorKind.CONFIG,
                f"{provider_id}: no base_url; set [providers.{provider_id}] base_url in config.toml",
            )
            return

        request = ChatRequest(
            model=model,
            messages=self.history,
            system=self.system,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )
        refusal = self._check_budget(provider_id, model, request)
        if refusal is not None:
            stats.ended_at = time.monotonic()
            yield self._fail(ErrorKind.BUDGET, refusal)
            return

        if self.conversation_id is not None:
            stats.message_id = self.runtime.store.add_message(
                self.conversation_id,
                "assistant",
                "",
                lane=self.lane,
                model=self.ref,
                status="streaming",
                parent_id=self.parent_id,
            )
        try:
            provider = self.runtime.provider(provider_id, api_key.reveal() if api_key else None)
        except (ImportError, ValueError) as exc:
            stats.ended_at = time.monotonic()
            error = self._fail(ErrorKind.CONFIG, f"{provider_id}: cannot start: {exc}")
            self._finish(provider_id, model)  # before the yield: the caller may stop reading there
            yield error
            return
        net = self.runtime.config.network
        label = spec.label or provider_id
        try:
            attempt = 0
            while True:
                retry_error: StreamError | None = None
                limit_this_try: RateLimit | None = None
                last_flush = time.monotonic()
                if attempt == 0:
                    # TTFT counts from the request, not from local set-up (keyring, store, imports).
                    stats.started = time.monotonic()
                events = provider.stream(request).__aiter__()
                timeout = net.read_timeout
                while True:
                    try:
                        # asyncio.timeout, not wait_for: no task per event (a hot path at
                        # thousands of tokens/s) and it never swallows a cancel on 3.11.
                        async with asyncio.timeout(timeout):
                            event = await events.__anext__()
                    except StopAsyncIteration:
                        event = self._fail(
                            ErrorKind.NETWORK,
                            f"{label}: the stream ended before the answer was complete",
                        )
                    except TimeoutError:
                        waiting = stats.first_token_at is None
                        what = "no reply" if waiting else "the stream stalled"
                        setting = "read_timeout" if waiting else "idle_timeout"
                        event = self._fail(
                            ErrorKind.NETWORK,
                            f"{label}: {what} for {timeout:g}s; try again or raise "
                            f"[network] {setting}",
                        )
                    if isinstance(event, TextDelta):
                        if stats.first_token_at is None:
                            stats.first_token_at = time.monotonic()
                            timeout = net.idle_timeout
                        stats.parts.append(event.text)
                        now = time.monotonic()
                        if now - last_flush >= FLUSH_EVERY_S:
                            self._flush()
                            last_flush = now
                    elif isinstance(event, UsageReport):
                        stats.usage = event.usage
                    elif isinstance(event, ServedBy):
                        stats.served_by = event.backend
                    elif isinstance(event, RateLimit):
                        stats.rate_limit = limit_this_try = event
                        self._save_rate_limit(provider_id, event)
                    elif isinstance(event, StreamDone):
                        stats.finish_reason = event.finish_reason
                        stats.ended_at = time.monotonic()
                    elif isinstance(event, StreamError):
                        if api_key is not None:
                            event = replace(event, message=redact(event.message, api_key.reveal()))
                        server_wait = event.retry_after_s
                        if (
                            event.kind in RETRYABLE
                            and stats.first_token_at is None
                            and attempt < net.max_retries
                            # a wait longer than we would sleep (a used-up daily quota) fails now
                            and (server_wait is None or server_wait <= net.max_retry_wait)
                        ):
                            retry_error = event
                            break
                        stats.error = event
                        if event.kind is ErrorKind.AUTH and self.key_source:
                            stats.error = StreamError(
                                event.kind,
                                f"{event.message} (key from {self.key_source})",
                                event.status,
                            )
                            event = stats.error
                        elif event.kind is ErrorKind.RATE_LIMIT:
                            stats.error = _rate_limit_error(event, stats.rate_limit, attempt)
                            event = stats.error
                        stats.ended_at = time.monotonic()
                    if isinstance(event, (StreamDone, StreamError)):
                        # Record the answer first: a cancel during the close below must not
                        # leave it marked "streaming". Then close the adapter now (its HTTP
                        # response, a local model's thread), not at loop shutdown.
                        self._finish(provider_id, model)
                        await _aclose(events)
                        yield event
                        return
                    yield event
                await _aclose(events)
                attempt += 1
                server_wait = retry_error.retry_after_s if retry_error else None
                if server_wait is None and retry_error and retry_error.kind is ErrorKind.RATE_LIMIT:
                    server_wait = _quota_reset(limit_this_try)
                wait = _backoff(attempt, server_wait, net.max_retry_wait)
                yield Retrying(attempt, wait, retry_error.message if retry_error else "")
                await asyncio.sleep(wait)
        except BaseException:
            # Cancelled (Esc, Ctrl+C) or crashed: keep what arrived, marked interrupted.
            if not self._finished:
                stats.interrupted = True
                stats.ended_at = time.monotonic()
                self._finish(provider_id, model)
            raise

    def _check_budget(self, provider_id: str, model: str, request: ChatRequest) -> str | None:
        try:
            from llmtui.core.budget import check_budget
        except ImportError:
            return None
        return check_budget(self.runtime, provider_id, model, request)

    def _save_rate_limit(self, provider_id: str, limit: RateLimit) -> None:
        try:
            self.runtime.store.put_cache("rate_limits", provider_id, limit.as_dict())
        except Exception:  # noqa: BLE001 - a busy store must not break a stream
            pass


def _rate_limit_error(event: StreamError, limit: RateLimit | None, retries: int) -> StreamError:
    """The final 429, saying when to try again (retry-after, else the quota's reset time)."""
    wait = event.retry_after_s
    if wait is None and limit is not None:
        resets = [s for s in (limit.retry_after_s, limit.reset_requests_s, limit.reset_tokens_s)
                  if s is not None]
        wait = max(resets) if resets else None
    tried = f"gave up after {retries} {'retry' if retries == 1 else 'retries'}; " if retries else ""
    if wait is None:
        hint = f"{tried}wait a little and try again"
    else:
        at = time.strftime("%H:%M:%S", time.localtime(time.time() + wait))
        hint = f"{tried}try again in {wait:.0f}s (after {at})" if wait >= 1 else (
            f"{tried}try again in {wait:.1f}s")
    return StreamError(event.kind, f"{event.message} ({hint})", event.status, wait)


def _quota_reset(limit: RateLimit | None) -> float | None:
    """A 429 without retry-after: wait for the exhausted quota's `x-ratelimit-reset-*`."""
    if limit is None:
        return None
    exhausted = [reset for remaining, reset in ((limit.remaining_requests, limit.reset_requests_s),
                                                (limit.remaining_tokens, limit.reset_tokens_s))
                 if remaining == 0 and reset is not None]
    if exhausted:
        return max(exhausted)
    resets = [s for s in (limit.reset_requests_s, limit.reset_tokens_s) if s is not None]
    return min(resets) if resets else None


def _backoff(attempt: int, retry_after: float | None, cap: float) -> float:
    """The server's retry-after when given, else capped exponential backoff with jitter."""
    if retry_after is not None:
        return min(cap, retry_after)
    base = min(cap, 0.5 * 2.0 ** (attempt - 1))
    return base * (0.5 + random.random() / 2)


async def _aclose(events: AsyncIterator[StreamEvent]) -> None:
    close = getattr(events, "aclose", None)
    if close is not None:
        try:
            await close()
        except Exception:  # noqa: BLE001
            pass
