"""AWS Bedrock ConverseStream (`bedrock/MODEL_ID`).

POST /model/{modelId}/converse-stream; the answer is binary AWS event-stream
frames (eventstream.py), each a JSON event named by its `:event-type` header, or
an `:exception-type` frame. Auth is a Bedrock API key as Bearer, or else SigV4
(sigv4.py) with AWS access keys from the environment.

Reasoning streams as `contentBlockDelta.delta.reasoningContent` with `text`, `signature` or
`redactedContent`. Claude's extended thinking is asked for through
`additionalModelRequestFields.thinking` (Anthropic's own request shape); other models' reasoning
(DeepSeek-R1) just arrives. As with Anthropic, earlier reasoning is not sent back in a
tool-less chat, so signatures are not kept.

One file because it is one wire format, end to end (request, events, errors, model list);
its framing (eventstream.py), signing (sigv4.py) and credentials (aws_credentials.py) live apart.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Mapping
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
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    TooLarge,
    Usage,
    UsageReport,
    check_image_limits,
)
from llmtui.providers.boundary import token_count, token_sum
from llmtui.providers.encode_parts import bedrock_blocks
from llmtui.providers.eventstream import EventMessage, EventStreamDecoder, EventStreamError
from llmtui.providers.http_errors import (
    error_body,
    error_from_exception,
    guarded,
    kind_for_status,
    message_from_json,
    parse_rate_limit,
    parse_retry_after,
    raise_for_redirect,
)
from llmtui.providers.reasoning import thinking_budget
from llmtui.providers.sampling import fit_sampling
from llmtui.providers.sigv4 import Credentials, sign
from llmtui.providers.transport import fetch

SERVICE = "bedrock"

# AWS error / exception type names -> what the user can act on.
EXCEPTION_KINDS: dict[str, ErrorKind] = {
    "throttlingexception": ErrorKind.RATE_LIMIT,
    "toomanyrequestsexception": ErrorKind.RATE_LIMIT,
    "servicequotaexceededexception": ErrorKind.RATE_LIMIT,
    "validationexception": ErrorKind.BAD_REQUEST,
    "resourcenotfoundexception": ErrorKind.BAD_REQUEST,
    "modelerrorexception": ErrorKind.SERVER,
    "modelstreamerrorexception": ErrorKind.SERVER,
    "modeltimeoutexception": ErrorKind.SERVER,
    "modelnotreadyexception": ErrorKind.SERVER,
    "internalserverexception": ErrorKind.SERVER,
    "serviceunavailableexception": ErrorKind.SERVER,
    "accessdeniedexception": ErrorKind.AUTH,
    "unrecognizedclientexception": ErrorKind.AUTH,
    "invalidsignatureexception": ErrorKind.AUTH,
    "expiredtokenexception": ErrorKind.AUTH,
    "incompletesignature": ErrorKind.AUTH,
}


def error_type_name(value: str | None) -> str:
    """`ThrottlingException:http://internal.amazon.com/...` -> `ThrottlingException`."""
    if not value:
        return ""
    name = value.split(":", 1)[0].strip()
    return name.rsplit("#", 1)[-1]


def kind_for_exception(name: str, status: int | None = None) -> ErrorKind:
    kind = EXCEPTION_KINDS.get(name.lower())
    if kind is not None:
        return kind
    return kind_for_status(status) if status else ErrorKind.SERVER


def usage_from_bedrock(usage: Mapping[str, Any]) -> Usage:
    """Bedrock's `inputTokens` excludes cache reads and writes, so add them back in."""

    def num(name: str) -> int:
        return token_count(usage.get(name))

    read, written = num("cacheReadInputTokens"), num("cacheWriteInputTokens")
    return Usage(
        input_tokens=token_sum(num("inputTokens"), read, written),
        output_tokens=num("outputTokens"),
        cached_input_tokens=read,
        cache_write_tokens=written,
        raw=dict(usage),
    )


class BedrockProvider:
    """Streams answers from Bedrock's Converse API."""

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient, key: str | None) -> None:
        self.spec = spec
        self._client = client
        self._key = key
        self._aws: Credentials | None = None

    @property
    def label(self) -> str:
        return self.spec.display_name

    # ------------------------------------------------------------ where and who

    def region(self) -> str | None:
        region = self.spec.options.get("region") or os.environ.get("AWS_REGION") or os.environ.get(
            "AWS_DEFAULT_REGION"
        )
        if not region:
            from llmtui.providers.aws_credentials import profile_name, profile_region

            region = profile_region(profile_name(self._profile()))
        return str(region) if region else None

    def _region_or_fail(self) -> str:
        region = self.region()
        if region:
            return region
        if self.spec.base_url:
            return "us-east-1"  # a configured endpoint still needs some region to sign for
        raise ProviderError(
            ErrorKind.CONFIG,
            f"{self.label}: no region; set [providers.{self.spec.id}] region in config.toml or AWS_REGION",
        )

    def runtime_base(self) -> str:
        if self.spec.base_url:
            return self.spec.base_url.rstrip("/")
        return f"https://bedrock-runtime.{self._region_or_fail()}.amazonaws.com"

    def control_base(self) -> str:
        if self.spec.base_url:
            return self.spec.base_url.rstrip("/")
        return f"https://bedrock.{self._region_or_fail()}.amazonaws.com"

    def _profile(self) -> str | None:
        value = self.spec.options.get("profile")
        return str(value) if value else None

    def _credentials(self) -> Credentials | None:
        """What `_load_credentials` found (env keys, a profile, a process); None before it ran."""
        return self._aws

    async def _load_credentials(self) -> None:
        """Resolve AWS credentials in a thread (files, maybe a subprocess); not needed with a key."""
        if self._key:
            return
        from llmtui.providers import aws_credentials

        try:
            self._aws = await asyncio.to_thread(aws_credentials.resolve, self._profile())
        except aws_credentials.AwsCredentialsError as exc:
            raise ProviderError(ErrorKind.AUTH, f"{self.label}: {exc}") from None

    def _auth_headers(self, method: str, url: str, headers: dict[str, str], body: bytes) -> dict[str, str]:
        if self._key:
            return {**headers, "authorization": f"Bearer {self._key}"}
        credentials = self._credentials()
        if credentials is None:
            raise ProviderError(
                ErrorKind.AUTH,
                f"{self.label}: no Bedrock API key (AWS_BEARER_TOKEN_BEDROCK or `llmtui keys set "
                f"{self.spec.id}`), no AWS access keys (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and no "
                "usable AWS profile (keys, credential_process or SSO in ~/.aws/config)",
            )
        return sign(method, url, headers, body, credentials, self._region_or_fail(), SERVICE)

    # ------------------------------------------------------------ request

    def body(self, request: ChatRequest) -> dict[str, Any]:
        check_image_limits("bedrock", request)
        request = fit_sampling(self.spec, request).request  # the notes were said before sending
        system = [request.system] if request.system else []
        messages: list[dict[str, Any]] = []
        for message in request.messages:
            if message.role == "system":
                system.append(message.content)
            elif messages and messages[-1]["role"] == message.role:
                messages[-1]["content"] += bedrock_blocks(message)
            else:
                messages.append({"role": message.role, "content": bedrock_blocks(message)})
        body: dict[str, Any] = {"messages": messages}
        if system:
            body["system"] = [{"text": text} for text in system]
        config: dict[str, Any] = {}
        if request.max_tokens is not None:
            config["maxTokens"] = request.max_tokens
        if request.temperature is not None:
            config["temperature"] = request.temperature
        if request.top_p is not None:
            config["topP"] = request.top_p
        if request.stop:
            config["stopSequences"] = list(request.stop)
        budget = thinking_budget(request, 1024) if "claude" in request.model else None
        if budget is not None:
            body["additionalModelRequestFields"] = {
                "thinking": {"type": "enabled", "budget_tokens": budget}
            }
            # As on Anthropic: max tokens must exceed the budget; no changed temperature.
            config["maxTokens"] = (request.max_tokens or 4096) + budget
            config.pop("temperature", None)
        if config:
            body["inferenceConfig"] = config
        return body

    def stream_url(self, model: str) -> str:
        return f"{self.runtime_base()}/model/{quote(model, safe='')}/converse-stream"

    # ------------------------------------------------------------ stream

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        return guarded(self.label, self._stream(request))

    async def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        label = self.label
        url = self.stream_url(request.model)
        payload = json.dumps(self.body(request)).encode()
        await self._load_credentials()
        headers = self._auth_headers(
            "POST",
            url,
            {**self.spec.headers, "content-type": "application/json",
             "accept": "application/vnd.amazon.eventstream"},
            payload,
        )
        async with self._client.stream("POST", url, content=payload, headers=headers) as response:
            limits = parse_rate_limit(response.headers)
            if limits is not None:
                yield limits
            await raise_for_aws_status(label, response)
            decoder = EventStreamDecoder()
            stop_reason: str | None = None
            stopped = False
            try:
                async for chunk in response.aiter_bytes():
                    for message in decoder.feed(chunk):
                        for event in self._event(label, message):
                            if isinstance(event, StreamDone):
                                stopped, stop_reason = True, event.finish_reason
                            else:
                                yield event
                decoder.close()
            except EventStreamError as exc:
                raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: {exc}") from None
            if stopped:
                yield StreamDone(stop_reason)

    def _event(self, label: str, message: EventMessage) -> list[StreamEvent]:
        """One frame -> events. messageStop comes before metadata, so StreamDone is held back."""
        kind = message.message_type
        if kind == "exception":
            name = str(message.headers.get(":exception-type") or "exception")
            raise ProviderError(
                kind_for_exception(name), f"{label}: {name}: {_payload_message(message.payload)}"
            )
        if kind == "error":
            code = str(message.headers.get(":error-code") or "error")
            text = str(message.headers.get(":error-message") or _payload_message(message.payload))
            raise ProviderError(kind_for_exception(code), f"{label}: {code}: {text}")
        event_type = message.headers.get(":event-type")
        try:
            data = json.loads(message.payload or b"{}")
        except ValueError:
            raise ProviderError(
                ErrorKind.BAD_RESPONSE, f"{label}: event {event_type} payload is not JSON"
            ) from None
        if not isinstance(data, dict):
            return []
        if event_type == "contentBlockDelta":
            delta = data.get("delta") or {}
            if not isinstance(delta, dict):
                return []
            piece = delta.get("text")
            if isinstance(piece, str) and piece:
                return [TextDelta(piece)]
            reasoning = delta.get("reasoningContent")
            if isinstance(reasoning, dict):
                thought = reasoning.get("text")
                if isinstance(thought, str) and thought:
                    return [ReasoningDelta(thought)]
                if reasoning.get("redactedContent"):
                    return [ReasoningDelta("", redacted=True)]
        elif event_type == "messageStop":
            return [StreamDone(str(data.get("stopReason") or "") or None)]
        elif event_type == "metadata":
            usage = data.get("usage")
            if isinstance(usage, dict):
                return [UsageReport(usage_from_bedrock(usage))]
        return []

    # ------------------------------------------------------------ models

    async def list_models(self) -> list[ModelInfo]:
        label = self.label
        url = f"{self.control_base()}/foundation-models?byOutputModality=TEXT"
        await self._load_credentials()
        headers = self._auth_headers("GET", url, {**self.spec.headers}, b"")
        try:
            response = await fetch(self._client, "GET", url, headers=headers)
        except (httpx.HTTPError, TooLarge) as exc:
            raise error_from_exception(label, exc) from None
        await raise_for_aws_status(label, response)
        try:
            payload = response.json()
        except ValueError:
            raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: model list is not JSON") from None
        models: list[ModelInfo] = []
        for entry in (payload.get("modelSummaries") or ()) if isinstance(payload, dict) else ():
            if not isinstance(entry, dict) or not isinstance(entry.get("modelId"), str):
                continue
            if entry.get("responseStreamingSupported") is False:
                continue
            note = " ".join(str(entry.get(k) or "") for k in ("providerName", "modelName")).strip()
            models.append(ModelInfo(id=entry["modelId"], provider=self.spec.id, note=note))
        return models

    async def check_key(self) -> tuple[KeyStatus, str]:
        from llmtui.providers.openai_compat import check_by_listing

        try:
            await self._load_credentials()
        except ProviderError as exc:
            return KeyStatus.REJECTED, exc.message
        if not self._key and self._credentials() is None:
            return KeyStatus.NO_KEY, "no Bedrock API key, no AWS access keys and no AWS profile"
        return await check_by_listing(self)


def _payload_message(payload: bytes) -> str:
    try:
        data = json.loads(payload or b"{}")
    except ValueError:
        return payload[:300].decode("utf-8", "replace") or "(no message)"
    return message_from_json(data) or "(no message)"


async def raise_for_aws_status(label: str, response: httpx.Response) -> None:
    """AWS errors: the status, `x-amzn-ErrorType`, and `{"message": ...}` (or `Message`)."""
    raise_for_redirect(label, response)
    if response.status_code < 400:
        return
    body = await error_body(response)
    name = error_type_name(response.headers.get("x-amzn-errortype"))
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    message = (message_from_json(data) if data is not None else None) or body[:300].decode(
        "utf-8", "replace"
    ).strip() or "(empty body)"
    if not name and isinstance(data, dict) and isinstance(data.get("__type"), str):
        name = error_type_name(data["__type"])
    status = response.status_code
    text = f"{label}: HTTP {status}: {name + ': ' if name else ''}{message}"
    raise ProviderError(
        kind_for_exception(name, status),
        text,
        status=status,
        retry_after_s=parse_retry_after({k.lower(): v for k, v in response.headers.items()}),
    )
