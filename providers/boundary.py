"""The provider boundary: everything a server said, made safe before llmtui stores, caches or shows it.

Every adapter the registry builds is wrapped in `BoundaryProvider`, so no caller (TUI, CLI,
catalog cache) can see a server's raw strings or implausible numbers, whichever adapter it
used. One function, `server_text`, cleans every server string that is not answer text:
model ids, backend names, notes, statuses, error text, names from headers. It redacts the
key (a server may echo it), shows control and invisible characters as visible symbols, puts
the text on one line and bounds its length. Answer text itself stays as sent; it is shown
through `llmtui.sanitize.sanitize`, which keeps line breaks.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from typing import Any

from llmtui.providers.base import (
    ChatRequest,
    ErrorKind,
    KeyStatus,
    ModelInfo,
    Notice,
    Provider,
    ProviderError,
    ServedBy,
    StreamError,
    StreamEvent,
    Usage,
    UsageReport,
)
from llmtui.providers.transport import insecure_key_problem
from llmtui.sanitize import is_clean_name, one_line

MAX_SERVER_TEXT = 500
"""Characters of one server message (an error, a note) kept; the rest is cut with `…`."""
MAX_ID = 256
MAX_TOKENS = 1_000_000_000
"""No single request reads or writes a billion tokens (the largest context windows are ~10M):
a larger count is a broken or hostile server, not usage."""
MAX_PREDICT_S = 7 * 24 * 3600.0
UNREADABLE = -1
"""What `token_count` returns for a count that is present but not a count (`"12"`, `1.5`,
`NaN`, `-5`)."""


def mask(key: str) -> str:
    """`gsk_abcdef…9f2a` -> `gsk_…9f2a`: the prefix tells which kind, the tail which key."""
    key = key.strip()
    if len(key) < 12:
        return "…" + key[-2:] if len(key) > 4 else "…"
    prefix = ""
    for sep in ("-", "_"):
        head, found, _ = key[:8].partition(sep)
        if found and len(head) <= 5:
            prefix = head + sep
            break
    return f"{prefix}…{key[-4:]}"


_BASIC = re.compile(r"(?i)\b(basic)(\s+)([A-Za-z0-9+/_-]{6,}=*)")
"""HTTP Basic credentials (base64 of user:password) as a server may echo the Authorization header."""


def _is_credentials(token: str) -> bool:
    """Base64 that decodes to `user:password` (or its start): not an English word after "basic"."""
    try:
        raw = base64.b64decode(token.rstrip("=") + "=" * (-len(token.rstrip("=")) % 4), altchars=b"-_")
    except ValueError:
        return False
    return b":" in raw


def redact(text: str, key: str | None) -> str:
    """A server (or a proxy) may echo the key in an error message, or Basic credentials; mask them."""
    if key and len(key) >= 6:
        text = text.replace(key, mask(key))
    return _BASIC.sub(lambda m: m[1] + m[2] + mask(m[3]) if _is_credentials(m[3]) else m[0], text)


def server_text(value: object, *, secret: str | None = None, limit: int = MAX_SERVER_TEXT) -> str:
    """Any string a server sent, fit to store and show: key masked, one line, every control or
    invisible character visible, at most `limit` characters."""
    text = one_line(redact(value if isinstance(value, str) else str(value), secret))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def model_id(value: object) -> str | None:
    """A model id is shown and sent back in requests: one that is not a clean name is dropped."""
    if isinstance(value, str) and len(value) <= MAX_ID and is_clean_name(value):
        return value
    return None


def token_count(value: Any) -> int:
    """A reported token count: 0 when absent, the count when it is a whole number (JSON may
    send `1e6`), UNREADABLE for anything else (a string, a fraction, NaN, infinity)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return UNREADABLE
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value >= 0 else UNREADABLE
    return UNREADABLE


def token_sum(*counts: int) -> int:
    """Counts added up (Anthropic's input = uncached + cache reads + writes), still UNREADABLE
    when one of them is."""
    return UNREADABLE if UNREADABLE in counts else sum(counts)


def usage_problem(usage: Usage) -> str | None:
    """Why a usage report cannot be right, or None when it is plausible."""
    for name in ("input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens",
                 "reasoning_tokens"):
        value = getattr(usage, name)
        if value is None:
            continue
        if value == UNREADABLE:
            return f"{name} is not a count"
        if not 0 <= value <= MAX_TOKENS:
            return f"{name} = {value}"
    seconds = usage.predict_time_s
    if seconds is not None and not (math.isfinite(seconds) and 0 <= seconds <= MAX_PREDICT_S):
        return f"predict_time = {seconds}"
    return None


def plausible_reasoning(usage: Usage) -> Usage:
    """The usage without its thinking count when that cannot be right (not a count, or more
    than all the output it is part of): the thinking is then estimated from its text, and the
    input and output counts, when they are fine, still stand."""
    thinking, output = usage.reasoning_tokens, usage.output_tokens
    if thinking is None:
        return usage
    bad = thinking == UNREADABLE or not 0 <= thinking <= MAX_TOKENS
    if bad or (output != UNREADABLE and thinking > output):
        return replace(usage, reasoning_tokens=None)
    return usage


def clean_model(model: ModelInfo) -> ModelInfo | None:
    """The entry with clean strings and plausible numbers, or None when its id is unusable."""
    if model_id(model.id) is None:
        return None
    context = model.context_length
    if not (isinstance(context, int) and 0 < context <= MAX_TOKENS):
        context = None
    return replace(
        model,
        note=server_text(model.note),
        context_length=context,
        backends=tuple(clean_models(model.backends)),
        price=replace(model.price, source=server_text(model.price.source))
        if model.price is not None else None,
    )


def clean_models(models: Iterable[ModelInfo]) -> list[ModelInfo]:
    return [m for m in map(clean_model, models) if m is not None]


def clean_event(event: StreamEvent, secret: str | None) -> StreamEvent:
    """One stream event with its server strings cleaned and its usage checked."""
    if isinstance(event, StreamError):
        return replace(event, message=server_text(event.message, secret=secret))
    if isinstance(event, ServedBy):
        return ServedBy(server_text(event.backend, limit=MAX_ID))
    if isinstance(event, UsageReport):
        event = replace(event, usage=plausible_reasoning(event.usage))
        problem = usage_problem(event.usage)
        if problem is not None:
            return Notice(f"ignored the usage the server reported ({server_text(problem)}); "
                          "the cost is estimated from the text")
    if isinstance(event, Notice):
        return Notice(server_text(event.text, secret=secret))
    return event


class BoundaryProvider:
    """An adapter as the rest of llmtui sees it (see the module docstring)."""

    def __init__(self, inner: Provider, key: str | None) -> None:
        self.inner = inner
        self.spec = inner.spec
        self._key = key
        # A key over plain http to another machine is refused before anything is sent.
        self._refusal = insecure_key_problem(inner.spec, key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # adapter extras: aclose(), chat_url(), ...

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        if self._refusal is not None:
            yield StreamError(ErrorKind.CONFIG, self._refusal)
            return
        events = self.inner.stream(request)
        try:
            async for event in events:
                yield clean_event(event, self._key)
        finally:
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()

    async def list_models(self) -> list[ModelInfo]:
        if self._refusal is not None:
            raise ProviderError(ErrorKind.CONFIG, self._refusal)
        try:
            return clean_models(await self.inner.list_models())
        except ProviderError as exc:
            raise self._clean_error(exc) from None

    async def check_key(self) -> tuple[KeyStatus, str]:
        if self._refusal is not None:
            return KeyStatus.UNREACHABLE, self._refusal
        status, detail = await self.inner.check_key()
        return status, server_text(detail, secret=self._key)

    def _clean_error(self, exc: ProviderError) -> ProviderError:
        return ProviderError(exc.kind, server_text(exc.message, secret=self._key),
                             status=exc.status, retry_after_s=exc.retry_after_s)

