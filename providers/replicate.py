"""Replicate predictions (`replicate/OWNER/NAME` or `replicate/OWNER/NAME:VERSION`).

Not a chat API: we create a prediction with `stream: true`, render the chat
history into the model's `prompt` / `system_prompt` inputs, read the prediction's
`urls.stream` SSE (plain-text `output` events, `error`, `done`), and afterwards
GET the prediction for its metrics (tokens, billed predict_time). If the consumer
stops early the prediction is cancelled, so nobody pays for unread tokens.

The token goes only to the configured API origin. Replicate serves `urls.stream` from
another host (a capability URL that needs no token, as Replicate's JS client and the
Vercel AI SDK read it): such a stream is read without the token, over https only. A
`urls.get`/`urls.cancel`/`next` on another origin is refused, and so is a stream on
another origin over plain http.

One file because it is one API, end to end: creating, streaming, cancelling and metering a
prediction all follow the origin rules above; split, those rules would be scattered.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import httpx

from llmtui.providers.base import (
    ChatRequest,
    ErrorKind,
    KeyStatus,
    ModelInfo,
    ProviderError,
    Remedy,
    StreamDone,
    StreamEvent,
    TextDelta,
    TooLarge,
    Usage,
    UsageReport,
    check_image_limits,
    estimate_tokens,
)
from llmtui.providers.boundary import token_count
from llmtui.providers.http_adapter import HttpAdapter
from llmtui.providers.http_errors import (
    error_from_exception,
    message_from_json,
    parse_rate_limit,
    raise_for_status,
)
from llmtui.providers.parts import images, text_with_files
from llmtui.providers.sampling import fit_sampling
from llmtui.providers.sse import aiter_sse
from llmtui.providers.transport import MAX_ERROR_BODY_BYTES, fetch, origin, same_origin

CANCEL_TIMEOUT_S = 2.0
METRICS_POLLS = 4
METRICS_POLL_DELAY_S = 0.25
TERMINAL = {"succeeded", "failed", "canceled"}


# Models whose input schema has an `image` file input (a URI; Replicate takes a data URL)
# beside `prompt`, as their model pages' API schemas show (checked 2026-12). More can be
# named in config: [providers.replicate] image_models = ["owner/name"].
IMAGE_INPUT_MODELS = frozenset({
    "yorickvp/llava-13b", "yorickvp/llava-v1.6-34b", "yorickvp/llava-v1.6-mistral-7b",
    "lucataco/moondream2",
})


def image_input(spec_options: Mapping[str, Any], request: ChatRequest) -> str | None:
    """The data URL for the model's `image` input, or None without images.

    Raises BAD_REQUEST when the model takes no image input or more than one image is given.
    """
    found = [image for message in request.messages for image in images(message.parts)]
    if not found:
        return None
    model = request.model.partition(":")[0]
    extra = spec_options.get("image_models") or ()
    if model not in IMAGE_INPUT_MODELS and model not in extra:
        raise ProviderError(
            ErrorKind.BAD_REQUEST,
            f"replicate/{model}: its input takes no image (models with an `image` input: "
            f"{', '.join(sorted(IMAGE_INPUT_MODELS))}; add others to [providers.replicate] image_models)",
            remedy=Remedy.OTHER_MODEL,
        )
    if len(found) > 1:
        raise ProviderError(ErrorKind.BAD_REQUEST,
                            f"replicate/{model} takes one image per prediction; {len(found)} are attached")
    return found[0].data_url()


def render_prompt(request: ChatRequest) -> tuple[str, str | None]:
    """The model's `prompt` and `system_prompt`: earlier turns become a plain transcript
    (text files attached to a turn are appended to its text)."""
    system_parts = [request.system] if request.system else []
    turns = []
    for message in request.messages:
        if message.role == "system":
            system_parts.append(message.content)
        else:
            turns.append(message)
    system = "\n\n".join(system_parts) or None
    if len(turns) == 1 and turns[0].role == "user":
        return text_with_files(turns[0].content, turns[0].parts), system
    names = {"user": "User", "assistant": "Assistant"}
    lines = [f"{names[m.role]}: {text_with_files(m.content, m.parts)}" for m in turns]
    if not turns or turns[-1].role != "assistant":
        lines.append("Assistant:")
    return "\n\n".join(lines), system


def split_model(model: str) -> tuple[str, str, str | None]:
    """`owner/name[:version]` -> (owner, name, version)."""
    base, _, version = model.partition(":")
    owner, sep, name = base.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ProviderError(
            ErrorKind.CONFIG,
            f"replicate model {model!r} needs the form OWNER/NAME or OWNER/NAME:VERSION",
        )
    return owner, name, version or None


class ReplicateProvider(HttpAdapter):
    """Streams model output from Replicate predictions."""


    def create_call(self, request: ChatRequest) -> tuple[str, dict[str, Any]]:
        """The URL and body that create the prediction."""
        owner, name, version = split_model(request.model)
        check_image_limits("replicate", request)
        request = fit_sampling(self.spec, request).request  # the notes were said before sending
        image = image_input(self.spec.options, request)
        prompt, system = render_prompt(request)
        inputs: dict[str, Any] = {"prompt": prompt}
        if image is not None:
            inputs["image"] = image
        if system:
            inputs["system_prompt"] = system
        if request.max_tokens is not None:
            inputs["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            inputs["temperature"] = request.temperature
        if request.top_p is not None:
            inputs["top_p"] = request.top_p
        if request.seed is not None:
            inputs["seed"] = request.seed
        if request.stop:  # one comma-separated string in Replicate's language models' schemas
            inputs["stop_sequences"] = ",".join(request.stop)
        body: dict[str, Any] = {"input": inputs, "stream": True}
        if version:
            body["version"] = version
            return self._url("/v1/predictions"), body
        return self._url(f"/v1/models/{quote(owner, safe='')}/{quote(name, safe='')}/predictions"), body

    # ------------------------------------------------------------ stream

    async def _stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        label = self.label
        url, body = self.create_call(request)
        response = await fetch(self._client, "POST", url, json=body, headers=self._headers())
        limits = parse_rate_limit(response.headers)
        if limits is not None:
            yield limits
        await raise_for_status(label, response)
        prediction = _json(label, response)
        urls = self._checked_urls(prediction.get("urls"))
        if prediction.get("status") == "failed":
            reason = prediction.get("error") or "prediction failed"
            raise ProviderError(ErrorKind.SERVER, f"{label}: {reason}")
        stream_url = urls.get("stream")
        if not isinstance(stream_url, str) or not stream_url:
            raise ProviderError(
                ErrorKind.BAD_REQUEST, f"{label}: model {request.model} does not support streaming"
            )
        finished = False
        streamed: list[str] = []
        try:
            async with self._client.stream(
                "GET",
                stream_url,
                headers={**self._stream_headers(stream_url), "accept": "text/event-stream",
                         "cache-control": "no-store"},
            ) as stream:
                await raise_for_status(label, stream)
                async for sse in aiter_sse(stream):
                    if sse.event == "output":
                        if sse.data:
                            streamed.append(sse.data)
                            yield TextDelta(sse.data)
                    elif sse.event == "error":
                        finished = True
                        raise ProviderError(ErrorKind.SERVER, f"{label}: {_detail(sse.data)}")
                    elif sse.event == "done":
                        finished = True
                        reason = _done_reason(sse.data)
                        if reason == "canceled":
                            raise ProviderError(ErrorKind.CANCELLED, f"{label}: the prediction was canceled")
                        if reason == "error":
                            raise ProviderError(ErrorKind.SERVER, f"{label}: {await self._failure(urls)}")
                        break
        except (asyncio.CancelledError, GeneratorExit):
            if not finished:
                await self._cancel(urls)
            raise
        if not finished:
            return  # the stream just stopped: guarded() reports it as cut off
        usage = await self._metrics(urls)
        if usage is not None and not usage.input_tokens and not usage.output_tokens:
            # Time-billed models report no tokens: keep predict_time, estimate the counts.
            usage = replace(usage, input_tokens=estimate_tokens(str(body["input"]["prompt"])),
                            output_tokens=estimate_tokens("".join(streamed)))
        if usage is not None:
            yield UsageReport(usage)
        yield StreamDone("stop")

    def _checked_urls(self, urls: Any) -> dict[str, Any]:
        """The prediction's URLs, refused when one would take the token (or the answer) elsewhere."""
        if not isinstance(urls, dict):
            return {}
        for name in ("get", "cancel", "stream"):
            url = urls.get(name)
            if not isinstance(url, str) or self._same_origin(url):
                continue
            if name != "stream" or not url.lower().startswith("https://"):
                raise ProviderError(
                    ErrorKind.BAD_RESPONSE,
                    f"{self.label}: the prediction's urls.{name} points to another server "
                    f"({_host(url)}); refused: the API token goes only to {_host(self._api_base())}",
                )
        return urls

    def _api_base(self) -> str:
        return self.spec.base_url or "https://api.replicate.com"

    def _same_origin(self, url: str) -> bool:
        return same_origin(url, self._api_base())

    def _stream_headers(self, url: str) -> dict[str, str]:
        """The token only on the API's own origin; another (https) stream host gets none."""
        if self._same_origin(url):
            return self._headers()
        return {k: v for k, v in self._headers().items() if k.lower() != "authorization"}

    async def _cancel(self, urls: dict[str, Any]) -> None:
        """Best effort, briefly: the cancellation itself must go on regardless."""
        cancel = urls.get("cancel")
        if not isinstance(cancel, str):
            return
        try:
            await fetch(self._client, "POST", cancel, headers=self._headers(),
                        timeout=CANCEL_TIMEOUT_S, limit=MAX_ERROR_BODY_BYTES)
        except Exception:  # noqa: BLE001 - never mask the consumer's cancellation
            pass

    async def _get_prediction(self, urls: dict[str, Any]) -> dict[str, Any] | None:
        get = urls.get("get")
        if not isinstance(get, str):
            return None
        try:
            response = await fetch(self._client, "GET", get, headers=self._headers())
        except (httpx.HTTPError, TooLarge):
            return None
        if response.status_code >= 400:
            return None
        try:
            data = response.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    async def _metrics(self, urls: dict[str, Any]) -> Usage | None:
        """Token counts and billed seconds, once the prediction has them."""
        for attempt in range(METRICS_POLLS):
            prediction = await self._get_prediction(urls)
            if prediction is None:
                return None
            metrics = prediction.get("metrics") or {}
            if prediction.get("status") in TERMINAL or "predict_time" in metrics:
                return usage_from_metrics(metrics)
            if attempt + 1 < METRICS_POLLS:
                await asyncio.sleep(METRICS_POLL_DELAY_S)
        return None

    async def _failure(self, urls: dict[str, Any]) -> str:
        prediction = await self._get_prediction(urls)
        error = prediction.get("error") if prediction else None
        return str(error) if error else "the prediction failed"

    # ------------------------------------------------------------ models

    async def list_models(self) -> list[ModelInfo]:
        label = self.label
        models: list[ModelInfo] = []
        url: str | None = self._url("/v1/models")
        for _ in range(5):  # pages of the (long) public list
            if not url:
                break
            try:
                response = await fetch(self._client, "GET", url, headers=self._headers())
            except (httpx.HTTPError, TooLarge) as exc:
                raise error_from_exception(label, exc) from None
            await raise_for_status(label, response)
            payload = _json(label, response)
            for entry in payload.get("results") or ():
                if isinstance(entry, dict) and entry.get("owner") and entry.get("name"):
                    models.append(
                        ModelInfo(
                            id=f"{entry['owner']}/{entry['name']}",
                            provider=self.spec.id,
                            note=str(entry.get("description") or "")[:120],
                        )
                    )
            nxt = payload.get("next")
            # Only pages on the API's own origin: the token goes nowhere else.
            url = nxt if isinstance(nxt, str) and self._same_origin(nxt) else None
        return models

    async def check_key(self) -> tuple[KeyStatus, str]:
        """GET /v1/account: cheap, authenticated, and not paginated."""
        label = self.label
        try:
            response = await fetch(self._client, "GET", self._url("/v1/account"),
                                   headers=self._headers())
            await raise_for_status(label, response)
        except (httpx.HTTPError, TooLarge) as exc:
            return KeyStatus.UNREACHABLE, error_from_exception(label, exc).message
        except ProviderError as exc:
            status = KeyStatus.REJECTED if exc.kind is ErrorKind.AUTH else KeyStatus.UNREACHABLE
            return status, exc.message
        try:
            username = response.json().get("username")
        except (ValueError, AttributeError):
            username = None
        return KeyStatus.OK, f"account {username}" if username else "ok"


def usage_from_metrics(metrics: dict[str, Any]) -> Usage:
    predict = metrics.get("predict_time")
    return Usage(
        input_tokens=token_count(metrics.get("input_token_count")),
        output_tokens=token_count(metrics.get("output_token_count")),
        # NaN/inf/huge pass through to the boundary, which drops them with a notice.
        predict_time_s=float(min(predict, 2**63))
        if isinstance(predict, (int, float)) and not isinstance(predict, bool) else None,
        raw=dict(metrics),
    )


def _host(url: str) -> str:
    try:
        scheme, host, port = origin(url)
    except ValueError:
        return "an invalid URL"
    return f"{scheme}://{host}:{port}"


def _json(label: str, response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: response is not JSON") from None
    if not isinstance(data, dict):
        raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: unexpected response {str(data)[:80]!r}")
    return data


def _detail(data: str) -> str:
    try:
        return message_from_json(json.loads(data)) or data[:300]
    except ValueError:
        return data[:300] or "error in stream"


def _done_reason(data: str) -> str | None:
    try:
        payload = json.loads(data or "{}")
    except ValueError:
        return None
    reason = payload.get("reason") if isinstance(payload, dict) else None
    return str(reason) if reason else None
