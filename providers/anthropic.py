"""Anthropic's native Messages API (`anthropic/MODEL`).

POST /v1/messages with `x-api-key` and `anthropic-version`; the answer is SSE with
named events (message_start, content_block_delta, message_delta, message_stop,
ping, error). Anthropic's `input_tokens` is only the uncached part of the prompt,
so llmtui's input count adds the cache reads and writes back in.

Extended thinking: `thinking: {type: enabled, budget_tokens}` in the request; the stream then
has `thinking` blocks (`thinking_delta`, then a `signature_delta`) and `redacted_thinking`
blocks before the text. Earlier thinking is not sent back: Anthropic's docs say thinking
blocks of previous turns are stripped from the context anyway and must be returned only
with a `tool_result`, which llmtui never sends; so signatures are not kept.

Thinking tokens: `output_tokens` counts thinking and answer together. Newer API responses
break it down in `usage.output_tokens_details.thinking_tokens` (the SDK's OutputTokensDetails:
the raw reasoning, even when the thinking shown is a summary; always ≤ output_tokens), which is
used as reported; without it the count is estimated from the thinking text (shown with `~`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from llmtui.providers.base import (
    ChatMessage,
    ChatRequest,
    ErrorKind,
    KeyStatus,
    ModelInfo,
    ProviderError,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    TooLarge,
    Usage,
    UsageReport,
    check_image_limits,
)
from llmtui.providers.boundary import token_count as _int
from llmtui.providers.boundary import token_sum
from llmtui.providers.encode_parts import anthropic_blocks
from llmtui.providers.http_adapter import HttpAdapter
from llmtui.providers.http_errors import (
    error_from_exception,
    parse_rate_limit,
    raise_for_status,
)
from llmtui.providers.reasoning import thinking_budget, wants_thinking
from llmtui.providers.sampling import fit_sampling
from llmtui.providers.sse import aiter_sse, json_object
from llmtui.providers.transport import fetch

API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 4096
MIN_THINKING_BUDGET = 1024  # Anthropic rejects a smaller budget_tokens

# The `error.type` values of Anthropic's error bodies and `event: error` frames.
ERROR_KINDS: dict[str, ErrorKind] = {
    "invalid_request_error": ErrorKind.BAD_REQUEST,
    "authentication_error": ErrorKind.AUTH,
    "permission_error": ErrorKind.AUTH,
    "billing_error": ErrorKind.BAD_REQUEST,
    "not_found_error": ErrorKind.BAD_REQUEST,
    "request_too_large": ErrorKind.BAD_REQUEST,
    "rate_limit_error": ErrorKind.RATE_LIMIT,
    "api_error": ErrorKind.SERVER,
    "overloaded_error": ErrorKind.SERVER,
    "timeout_error": ErrorKind.SERVER,
}


def usage_from_anthropic(fields: Mapping[str, Any]) -> Usage:
    """Anthropic usage -> Usage, where input counts cached and cache-written tokens too."""
    uncached = _int(fields.get("input_tokens"))
    written = _int(fields.get("cache_creation_input_tokens"))
    read = _int(fields.get("cache_read_input_tokens"))
    return Usage(
        input_tokens=token_sum(uncached, written, read),
        output_tokens=_int(fields.get("output_tokens")),
        cached_input_tokens=read,
        cache_write_tokens=written,
        reasoning_tokens=_thinking_tokens(fields),
        raw=dict(fields),
    )


def _thinking_tokens(fields: Mapping[str, Any]) -> int | None:
    """`output_tokens_details.thinking_tokens` as sent, None when absent; the boundary
    (boundary.plausible_reasoning) drops a count that cannot be right."""
    details = fields.get("output_tokens_details")
    if not isinstance(details, dict) or "thinking_tokens" not in details:
        return None
    return _int(details["thinking_tokens"])


def messages_for(history: tuple[ChatMessage, ...]) -> tuple[list[dict[str, Any]], list[str]]:
    """Roles must alternate user/assistant: system turns move out, repeated roles merge.
    A turn with attachments becomes a list of content blocks (encode_parts.py)."""
    system: list[str] = []
    out: list[dict[str, Any]] = []
    for message in history:
        if message.role == "system":
            system.append(message.content)
            continue
        content: str | list[dict[str, Any]] = anthropic_blocks(message) if message.parts else message.content
        if out and out[-1]["role"] == message.role:
            before = out[-1]["content"]
            if isinstance(before, str) and isinstance(content, str):
                out[-1]["content"] = before + "\n\n" + content
            else:
                out[-1]["content"] = _blocks(before) + _blocks(content)
        else:
            out.append({"role": message.role, "content": content})
    return out, system


def _blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


class AnthropicProvider(HttpAdapter):
    """Streams answers from Anthropic's Messages API."""

    def _auth_headers(self) -> dict[str, str]:
        headers = {"anthropic-version": API_VERSION}
        if self._key:
            headers["x-api-key"] = self._key
        return headers

    def body(self, request: ChatRequest) -> dict[str, Any]:
        check_image_limits("anthropic", request)
        request = fit_sampling(self.spec, request).request  # the notes were said before sending
        messages, system = messages_for(request.messages)
        if request.system:
            system.insert(0, request.system)
        answer_tokens = request.max_tokens or int(self.spec.options.get("max_tokens", DEFAULT_MAX_TOKENS))
        body: dict[str, Any] = {
            "model": request.model,
            "messages": messages,
            "max_tokens": answer_tokens,
            "stream": True,
        }
        if system:
            body["system"] = "\n\n".join(system)
        budget = thinking_budget(request, MIN_THINKING_BUDGET)
        if budget is not None:
            # budget_tokens must be below max_tokens, which counts thinking too: the answer
            # keeps its own allowance on top. Thinking refuses a changed temperature.
            body["thinking"] = {"type": "enabled", "budget_tokens": budget}
            body["max_tokens"] = answer_tokens + budget
        else:
            if wants_thinking(request) is False:
                body["thinking"] = {"type": "disabled"}
            if request.temperature is not None:
                body["temperature"] = request.temperature
        if request.top_p is not None:  # fit_sampling kept it only where Claude takes it
            body["top_p"] = request.top_p
        if request.stop:
            body["stop_sequences"] = list(request.stop)
        return body

    # ------------------------------------------------------------ stream

    async def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        label = self.label
        async with self._client.stream(
            "POST",
            self._url("/v1/messages"),
            json=self.body(request),
            headers={**self._headers(), "accept": "text/event-stream"},
        ) as response:
            limits = parse_rate_limit(response.headers)
            if limits is not None:
                yield limits
            await raise_for_status(label, response)
            usage: dict[str, Any] = {}
            stop_reason: str | None = None
            async for sse in aiter_sse(response):
                if sse.event == "ping":
                    continue
                data = json_object(label, sse.data)
                kind = data.get("type") or sse.event
                if kind == "error" or sse.event == "error":
                    raise stream_error(label, data)
                if kind == "message_start":
                    message = data.get("message") or {}
                    usage.update(message.get("usage") or {})
                elif kind == "content_block_delta":
                    event = _delta_event(data.get("delta") or {})
                    if event is not None:
                        yield event
                elif kind == "content_block_start":
                    event = _block_start_event(data.get("content_block") or {})
                    if event is not None:
                        yield event
                elif kind == "message_delta":
                    delta = data.get("delta") or {}
                    if delta.get("stop_reason"):
                        stop_reason = str(delta["stop_reason"])
                    # Cumulative figures: a later value replaces the message_start one.
                    for name, value in (data.get("usage") or {}).items():
                        if value is not None:
                            usage[name] = value
                elif kind == "message_stop":
                    if usage:
                        yield UsageReport(usage_from_anthropic(usage))
                    yield StreamDone(stop_reason)
                    return

    # ------------------------------------------------------------ models

    async def list_models(self) -> list[ModelInfo]:
        label = self.label
        models: list[ModelInfo] = []
        params: dict[str, str | int] = {"limit": 1000}
        for _ in range(20):  # pages
            try:
                response = await fetch(self._client, "GET", self._url("/v1/models"),
                                       params=params, headers=self._headers())
            except (httpx.HTTPError, TooLarge) as exc:
                raise error_from_exception(label, exc) from None
            await raise_for_status(label, response)
            try:
                payload = response.json()
            except ValueError:
                raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: model list is not JSON") from None
            for entry in payload.get("data") or () if isinstance(payload, dict) else ():
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    context = entry.get("max_input_tokens")
                    models.append(
                        ModelInfo(
                            id=entry["id"],
                            provider=self.spec.id,
                            context_length=context if isinstance(context, int) else None,
                            note=str(entry.get("display_name") or ""),
                        )
                    )
            if not (isinstance(payload, dict) and payload.get("has_more") and payload.get("last_id")):
                break
            params = {"limit": 1000, "after_id": str(payload["last_id"])}
        return models

    async def check_key(self) -> tuple[KeyStatus, str]:
        from llmtui.providers.openai_compat import check_by_listing

        return await check_by_listing(self)


def _delta_event(delta: Mapping[str, Any]) -> TextDelta | ReasoningDelta | None:
    """text_delta -> answer, thinking_delta -> reasoning; signature_delta is not kept (see above)."""
    kind = delta.get("type")
    if kind == "text_delta" and isinstance(delta.get("text"), str) and delta["text"]:
        return TextDelta(delta["text"])
    if kind == "thinking_delta" and isinstance(delta.get("thinking"), str) and delta["thinking"]:
        return ReasoningDelta(delta["thinking"])
    return None


def _block_start_event(block: Mapping[str, Any]) -> TextDelta | ReasoningDelta | None:
    kind = block.get("type")
    if kind == "text" and isinstance(block.get("text"), str) and block["text"]:
        return TextDelta(block["text"])
    if kind == "thinking" and isinstance(block.get("thinking"), str) and block["thinking"]:
        return ReasoningDelta(block["thinking"])
    if kind == "redacted_thinking":
        return ReasoningDelta("", redacted=True)
    return None


def stream_error(label: str, data: Mapping[str, Any]) -> ProviderError:
    """An `event: error` frame, e.g. overloaded_error, as a ProviderError of the right kind."""
    err = data.get("error")
    if not isinstance(err, dict):
        err = {}
    kind_name = str(err.get("type") or "error")
    message = str(err.get("message") or "error in stream")
    return ProviderError(ERROR_KINDS.get(kind_name, ErrorKind.SERVER), f"{label}: {kind_name}: {message}")
