"""The OpenAI Chat Completions dialect: one adapter for most providers.

Presets (presets.py) differ only in base URL, auth header and a few options:
Groq reports usage in `x_groq`, DeepSeek in `prompt_cache_hit_tokens`, Mistral and
Cohere's compatibility endpoint reject `stream_options`, Azure wants `api-key`.

How reasoning is asked for and the four shapes it arrives in are openai_reasoning.py; the
model list's shapes (OpenAI's, Together's, HF's, OpenRouter's, xAI's) are catalog_parse.py.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from llmtui.providers.base import (
    ChatRequest,
    ErrorKind,
    KeyStatus,
    ModelInfo,
    ProviderError,
    ProviderSpec,
    ServedBy,
    StreamDone,
    StreamEvent,
    TooLarge,
    Usage,
    UsageReport,
    check_image_limits,
)
from llmtui.providers.batching import coalesce
from llmtui.providers.boundary import token_count as _as_int
from llmtui.providers.catalog_parse import parse_model_list
from llmtui.providers.encode_parts import openai_content
from llmtui.providers.http_errors import (
    error_from_exception,
    guarded,
    message_from_json,
    parse_rate_limit,
    raise_for_status,
)
from llmtui.providers.money import reported_cost
from llmtui.providers.openai_reasoning import delta_events, reasoning_fields
from llmtui.providers.reasoning import starts_in_thought
from llmtui.providers.sampling import fit_sampling
from llmtui.providers.sse import SSEvent, json_object, looks_like_sse, sse_batches
from llmtui.providers.think_tags import ThinkSplitter
from llmtui.providers.transport import MAX_BODY_BYTES, fetch, read_limited

# Header the HF router sets to the backend that served the request.
HF_SERVED_BY_HEADER = "x-inference-provider"


def usage_from_openai(data: Mapping[str, Any]) -> Usage:
    """OpenAI-style usage, with the dialects' cache fields folded in."""
    prompt = _as_int(data.get("prompt_tokens"))
    completion = _as_int(data.get("completion_tokens"))
    details = data.get("prompt_tokens_details") or {}
    cached = _as_int(details.get("cached_tokens")) if isinstance(details, dict) else 0
    cached = cached or _as_int(data.get("prompt_cache_hit_tokens"))  # DeepSeek
    cached = cached or _as_int(data.get("num_cached_tokens"))  # Mistral
    write = _as_int(details.get("cache_write_tokens")) if isinstance(details, dict) else 0
    out_details = data.get("completion_tokens_details") or {}
    reasoning = (
        _as_int(out_details.get("reasoning_tokens")) if isinstance(out_details, dict) else 0
    )
    total = _as_int(data.get("total_tokens"))
    # xAI counts reasoning outside completion_tokens; OpenAI counts it inside.
    if reasoning > 0 and total > 0 and completion >= 0 and total == prompt + completion + reasoning:
        completion += reasoning
    reported = (
        _as_int(out_details.get("reasoning_tokens"))
        if isinstance(out_details, dict) and "reasoning_tokens" in out_details
        else None
    )
    return Usage(prompt, completion, cached, write, reasoning_tokens=reported,
                 cost_usd=reported_cost(data), raw=dict(data))


@dataclass(slots=True)
class _StreamState:
    """What one stream remembers between events."""

    finish: str | None = None
    last_usage: dict[str, Any] | None = None
    splitter: ThinkSplitter = field(default_factory=ThinkSplitter)
    served_said: bool = False
    """ServedBy already sent (from a header, or a chunk's `provider` on OpenRouter)."""


class OpenAICompatProvider:
    """Streams chat completions from any OpenAI-compatible server."""

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient, key: str | None) -> None:
        self.spec = spec
        self._client = client
        self._key = key

    # ------------------------------------------------------------ request

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self._key:
            if self.spec.options.get("auth") == "api-key":
                headers["api-key"] = self._key
            else:
                headers["Authorization"] = f"Bearer {self._key}"
        bill_to = self.spec.options.get("bill_to")
        if bill_to:
            headers["X-HF-Bill-To"] = str(bill_to)
        headers.update(self.spec.headers)
        return headers

    def chat_url(self, model: str) -> str:
        base = self.spec.base_url.rstrip("/")
        api_version = self.spec.options.get("api_version")
        if api_version:  # Azure's classic deployment form
            return (
                f"{base}/openai/deployments/{quote(model, safe='')}/chat/completions"
                f"?api-version={quote(str(api_version), safe='')}"
            )
        return f"{base}/chat/completions"

    def body(self, request: ChatRequest) -> dict[str, Any]:
        check_image_limits("openai", request)
        request = fit_sampling(self.spec, request).request  # the notes were said before sending
        messages: list[dict[str, Any]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages += [{"role": m.role, "content": openai_content(m)} for m in request.messages]
        body: dict[str, Any] = {"model": request.model, "messages": messages, "stream": True}
        if self.spec.options.get("stream_options", True):
            body["stream_options"] = {"include_usage": True}
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.max_tokens is not None:
            body[str(self.spec.options.get("max_tokens_field", "max_tokens"))] = request.max_tokens
        if request.top_p is not None:
            body["top_p"] = request.top_p
        if request.seed is not None:
            body[str(self.spec.options.get("seed_field", "seed"))] = request.seed
        if request.stop:
            body["stop"] = list(request.stop)
        reasoning_fields(str(self.spec.options.get("reasoning", "effort")), request, body)
        return body

    # ------------------------------------------------------------ stream

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        return guarded(self.spec.display_name, self._stream(request))

    async def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        label = self.spec.display_name
        async with self._client.stream(
            "POST",
            self.chat_url(request.model),
            json=self.body(request),
            headers={**self._headers(), "Accept": "text/event-stream"},
        ) as response:
            limits = parse_rate_limit(response.headers)
            if limits is not None:
                yield limits
            await raise_for_status(label, response)
            served = response.headers.get(HF_SERVED_BY_HEADER)
            if served:
                yield ServedBy(served)
            ctype = response.headers.get("content-type", "").lower()
            chunks = response.aiter_bytes()
            if "text/event-stream" not in ctype:
                # JSON is an answer or an error sent whole; anything else is read as a stream
                # if it starts like one (a valid stream served as text/plain still works).
                start = await _first_bytes(chunks)
                if "json" in ctype or not looks_like_sse(start):
                    async for event in self._whole_body(label, start, chunks, request):
                        yield event
                    return
                chunks = _prepend(start, chunks)
            state = _StreamState(served_said=bool(served),
                                 splitter=ThinkSplitter(starts_inside=starts_in_thought(request)))
            # Every event of a network read is decoded before anything is yielded, and the
            # read's deltas go on as one (batching.py): the per-event cost downstream (timers,
            # figures, the store log, the screen) is paid once per read, not per token.
            async for batch in sse_batches(chunks):
                out: list[StreamEvent] = []
                try:
                    done = any(self._on_event(label, sse, state, out) for sse in batch)
                except Exception:
                    for event in coalesce(out):  # what came before the bad event is kept
                        yield event
                    raise
                for event in coalesce(out):
                    yield event
                if done:
                    return
            if state.finish is not None:
                # Some servers close after the finish chunk without [DONE]; the answer is whole.
                for event in state.splitter.finish():
                    yield event
                yield StreamDone(state.finish)

    def _on_event(self, label: str, sse: SSEvent, state: _StreamState, out: list[StreamEvent]) -> bool:
        """Fold one server-sent event into `out`; True at the end of the answer ([DONE])."""
        if sse.data == "[DONE]":
            out += state.splitter.finish()
            out.append(StreamDone(state.finish))
            return True
        if sse.event == "error":
            raise ProviderError(ErrorKind.SERVER, f"{label}: {_error_text(sse.data)}")
        chunk = json_object(label, sse.data, "chunk")
        if chunk.get("error"):
            raise ProviderError(
                ErrorKind.SERVER, f"{label}: {message_from_json(chunk) or 'error in stream'}"
            )
        served_field = self.spec.options.get("served_by_field")
        if served_field and not state.served_said and isinstance(chunk.get(served_field), str):
            state.served_said = True  # OpenRouter: the provider that took the request
            out.append(ServedBy(chunk[served_field]))
        for choice in chunk.get("choices") or ():
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            if isinstance(delta, dict):
                out += delta_events(delta, state.splitter)
            if choice.get("finish_reason"):
                state.finish = str(choice["finish_reason"])
        if chunk.get("finish_reason") and not state.finish:  # Together's top-level field
            state.finish = str(chunk["finish_reason"])
        groq = chunk.get("x_groq")
        if isinstance(groq, dict) and groq.get("error"):
            raise ProviderError(ErrorKind.SERVER, f"{label}: {groq['error']}")
        usage = chunk.get("usage")
        if not isinstance(usage, dict) and isinstance(groq, dict):
            usage = groq.get("usage")
        # Most servers send usage once, at the end; Gemini sends running totals on every
        # chunk. Report each new figure: the last one is the whole answer's.
        if isinstance(usage, dict) and usage != state.last_usage:
            state.last_usage = usage
            out.append(UsageReport(usage_from_openai(usage)))
        return False

    async def _whole_body(
        self, label: str, start: bytes, rest: AsyncIterator[bytes], request: ChatRequest
    ) -> AsyncIterator[StreamEvent]:
        """A server that ignored `stream: true` (or sent an error with status 200)."""
        raw = await read_limited(rest, MAX_BODY_BYTES, start=start)
        try:
            data = json.loads(raw)
        except ValueError:
            snippet = raw[:200].decode("utf-8", "replace")
            if "<html" in snippet.lower():
                snippet = "an HTML page"
            raise ProviderError(
                ErrorKind.BAD_RESPONSE, f"{label}: expected an event stream, got {snippet!r}"
            ) from None
        message = message_from_json(data) if isinstance(data, (dict, list)) else None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not choices:
            raise ProviderError(
                ErrorKind.BAD_RESPONSE, f"{label}: {message or 'response without choices'}"
            )
        choice = choices[0]
        whole = choice.get("message") or {}
        if isinstance(whole, dict):
            splitter = ThinkSplitter(starts_inside=starts_in_thought(request))
            for event in [*delta_events(whole, splitter), *splitter.finish()]:
                yield event
        if isinstance(data.get("usage"), dict):
            yield UsageReport(usage_from_openai(data["usage"]))
        yield StreamDone(choice.get("finish_reason"))

    # ------------------------------------------------------------ models

    def models_url(self) -> str:
        # `models_path` is relative to base_url (xAI lists prices at /v1/language-models).
        path = self.spec.options.get("models_path") or "models"
        return str(self.spec.options.get("models_url") or f"{self.spec.base_url.rstrip('/')}/{path}")

    async def list_models(self) -> list[ModelInfo]:
        label = self.spec.display_name
        try:
            response = await fetch(self._client, "GET", self.models_url(), headers=self._headers())
        except (httpx.HTTPError, TooLarge) as exc:
            raise error_from_exception(label, exc) from None
        await raise_for_status(label, response)
        try:
            payload = response.json()
        except ValueError:
            raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: model list is not JSON") from None
        return parse_model_list(self.spec.id, payload)

    async def check_key(self) -> tuple[KeyStatus, str]:
        return await check_by_listing(self)


async def _first_bytes(chunks: AsyncIterator[bytes], enough: int = 64) -> bytes:
    """The body's first bytes: enough to tell a stream from a document."""
    start = b""
    async for chunk in chunks:
        start += chunk
        if len(start) >= enough or b"\n" in start:
            break
    return start


async def _prepend(start: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield start
    async for chunk in rest:
        yield chunk


def _error_text(data: str) -> str:
    try:
        return message_from_json(json.loads(data)) or data[:200]
    except ValueError:
        return data[:200]


async def check_by_listing(provider: Any) -> tuple[KeyStatus, str]:
    """ok / rejected / unreachable from one authenticated model-list call."""
    try:
        models = await provider.list_models()
    except ProviderError as exc:
        if exc.kind is ErrorKind.AUTH:
            return KeyStatus.REJECTED, exc.message
        if exc.kind is ErrorKind.NETWORK:
            return KeyStatus.UNREACHABLE, exc.message
        return KeyStatus.UNREACHABLE, exc.message
    return KeyStatus.OK, f"{len(models)} models"
