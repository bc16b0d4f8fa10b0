"""Cohere's native v2 Chat API (`cohere/MODEL`).

POST /v2/chat with `stream: true`; each SSE `data:` is a JSON event whose `type`
says what it is (message-start, content-delta, message-end, ...). Usage comes in
message-end; Cohere bills `billed_units`, so those are the counts we report.

Reasoning models (Command A Reasoning) take `thinking: {type: enabled|disabled, token_budget}`
and stream their thinking as content-delta events carrying `content.thinking` instead of
`content.text`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from llmtui.providers.base import (
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
from llmtui.providers.encode_parts import openai_content
from llmtui.providers.http_adapter import HttpAdapter
from llmtui.providers.http_errors import (
    error_from_exception,
    message_from_json,
    parse_rate_limit,
    raise_for_status,
)
from llmtui.providers.reasoning import thinking_budget, wants_thinking
from llmtui.providers.sampling import fit_sampling
from llmtui.providers.sse import aiter_sse, json_object
from llmtui.providers.transport import fetch


def usage_from_cohere(usage: Mapping[str, Any]) -> Usage:
    """Billed units are what Cohere charges; `cached_tokens` is reported as the cached part."""
    billed = usage.get("billed_units") or {}
    tokens = usage.get("tokens") or {}
    input_tokens = _int(billed.get("input_tokens")) if billed else _int(tokens.get("input_tokens"))
    output_tokens = _int(billed.get("output_tokens")) if billed else _int(tokens.get("output_tokens"))
    cached = min(_int(usage.get("cached_tokens")), input_tokens)
    return Usage(input_tokens, output_tokens, cached_input_tokens=cached, raw=dict(usage))


async def _raise_for_status(label: str, response: httpx.Response) -> None:
    try:
        await raise_for_status(label, response)
    except ProviderError as exc:
        if exc.status == 498:  # Cohere's "invalid token"
            raise ProviderError(ErrorKind.AUTH, exc.message, status=498) from None
        raise


class CohereProvider(HttpAdapter):
    """Streams answers from Cohere's v2 Chat API."""


    def body(self, request: ChatRequest) -> dict[str, Any]:
        check_image_limits("cohere", request)
        request = fit_sampling(self.spec, request).request  # the notes were said before sending
        messages: list[dict[str, Any]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        # Cohere v2 takes the OpenAI-shaped `text` / `image_url` content parts.
        messages += [{"role": m.role, "content": openai_content(m)} for m in request.messages]
        body: dict[str, Any] = {"model": request.model, "messages": messages, "stream": True}
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.top_p is not None:
            body["p"] = request.top_p
        if request.seed is not None:
            body["seed"] = request.seed
        if request.stop:
            body["stop_sequences"] = list(request.stop)
        wanted = wants_thinking(request)
        if wanted is False:
            body["thinking"] = {"type": "disabled"}
        elif wanted:
            body["thinking"] = {"type": "enabled", "token_budget": thinking_budget(request)}
        return body

    # ------------------------------------------------------------ stream

    async def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        label = self.label
        async with self._client.stream(
            "POST",
            self._url("/v2/chat"),
            json=self.body(request),
            headers={**self._headers(), "accept": "text/event-stream"},
        ) as response:
            limits = parse_rate_limit(response.headers)
            if limits is not None:
                yield limits
            await _raise_for_status(label, response)
            finish: str | None = None
            ended = False
            async for sse in aiter_sse(response):
                data_text = sse.data.strip()
                if not data_text:
                    continue
                if data_text == "[DONE]":
                    ended = True
                    break
                event = json_object(label, data_text)
                kind = event.get("type") or sse.event
                delta: dict[str, Any] = event["delta"] if isinstance(event.get("delta"), dict) else {}
                if kind == "content-delta":
                    content = ((delta.get("message") or {}).get("content")) or {}
                    if not isinstance(content, dict):
                        continue
                    text, thought = content.get("text"), content.get("thinking")
                    if isinstance(thought, str) and thought:
                        yield ReasoningDelta(thought)
                    if isinstance(text, str) and text:
                        yield TextDelta(text)
                elif kind == "message-end":
                    finish = str(delta.get("finish_reason") or "") or None
                    if delta.get("error") or finish == "ERROR":
                        reason = delta.get("error") or "the model stopped with ERROR"
                        raise ProviderError(ErrorKind.SERVER, f"{label}: {reason}")
                    usage = delta.get("usage")
                    if isinstance(usage, dict):
                        yield UsageReport(usage_from_cohere(usage))
                    ended = True
                    break
                elif kind == "error" or (kind is None and ("message" in event or "error" in event)):
                    raise ProviderError(
                        ErrorKind.SERVER, f"{label}: {message_from_json(event) or 'error in stream'}"
                    )
            if ended:
                yield StreamDone(finish)

    # ------------------------------------------------------------ models

    async def list_models(self) -> list[ModelInfo]:
        label = self.label
        models: list[ModelInfo] = []
        params: dict[str, str | int] = {"endpoint": "chat", "page_size": 1000}
        for _ in range(20):  # pages
            try:
                response = await fetch(self._client, "GET", self._url("/v1/models"),
                                       params=params, headers=self._headers())
            except (httpx.HTTPError, TooLarge) as exc:
                raise error_from_exception(label, exc) from None
            await _raise_for_status(label, response)
            try:
                payload = response.json()
            except ValueError:
                raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: model list is not JSON") from None
            if not isinstance(payload, dict):
                break
            for entry in payload.get("models") or ():
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    context = entry.get("context_length")
                    models.append(
                        ModelInfo(
                            id=entry["name"],
                            provider=self.spec.id,
                            context_length=int(context) if isinstance(context, (int, float)) else None,
                            note="deprecated" if entry.get("is_deprecated") else "",
                        )
                    )
            token = payload.get("next_page_token")
            if not token:
                break
            params = {"endpoint": "chat", "page_size": 1000, "page_token": str(token)}
        return models

    async def check_key(self) -> tuple[KeyStatus, str]:
        from llmtui.providers.openai_compat import check_by_listing

        return await check_by_listing(self)
