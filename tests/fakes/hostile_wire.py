"""What each provider family's server says, for the hostile-server matrix.

One `Family` per wire format (OpenAI-compatible, Anthropic, Cohere, Bedrock, Replicate), built
to the providers' documented formats (../shared/providers.md): a good answer with a usage
report, a model list carrying a hostile string, an error body, and which request is the chat
call. `HostileServer` serves whatever a test scripts for the chat call, the stream (Replicate
reads its answer from a second URL), the model list and the prediction (Replicate metrics).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import anthropic_fake, bedrock_fake
from tests.fakes.server import FakeServer, Request, Response

KEY = "sk-hostile-SECRET-0123456789abcdef"
OSC52 = "evil\x1b]52;c;cHduZWQ=\x1b\\\u202e\u200b"
"""A clipboard write (OSC 52), a bidi override and a zero-width space."""
TEXT = "Hello from a hostile server"


def sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    body = data if isinstance(data, str) else json.dumps(data)
    return head + b"data: " + body.encode() + b"\n\n"


@dataclass(frozen=True)
class Family:
    name: str
    provider: str
    model: str
    stream_type: str
    chat_path: Callable[[str], bool]
    answer: Callable[[str, Any, Any], bytes]
    """(text, input tokens, output tokens) -> the stream body, usage as given (any JSON)."""
    models: Callable[[str], Any]
    """(hostile string) -> a model list holding one good entry and the string everywhere else."""
    error: Callable[[str], Any]
    options: dict[str, Any] = field(default_factory=dict)
    base_suffix: str = ""
    sse: bool = True


def _openai_answer(text: str, prompt: Any, completion: Any) -> bytes:
    return (sse({"choices": [{"index": 0, "delta": {"content": text}}]})
            + sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            + sse({"choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion}})
            + b"data: [DONE]\n\n")


def _anthropic_answer(text: str, prompt: Any, completion: Any) -> bytes:
    return (anthropic_fake.message_start("claude-x", {"input_tokens": prompt, "output_tokens": 1})
            + anthropic_fake.text_delta(text)
            + sse({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                   "usage": {"output_tokens": completion}}, "message_delta")
            + sse({"type": "message_stop"}, "message_stop"))


def _cohere_answer(text: str, prompt: Any, completion: Any) -> bytes:
    return (sse({"type": "content-delta", "delta": {"message": {"content": {"text": text}}}})
            + sse({"type": "message-end", "delta": {"finish_reason": "COMPLETE", "usage": {
                "billed_units": {"input_tokens": prompt, "output_tokens": completion}}}}))


def _bedrock_answer(text: str, prompt: Any, completion: Any) -> bytes:
    return (bedrock_fake.event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}})
            + bedrock_fake.event("messageStop", {"stopReason": "end_turn"})
            + bedrock_fake.event("metadata", {"usage": {"inputTokens": prompt, "outputTokens": completion}}))


def _replicate_answer(text: str, prompt: Any, completion: Any) -> bytes:
    del prompt, completion  # Replicate reports usage in the prediction's metrics
    return b"event: output\ndata: " + text.encode() + b"\n\nevent: done\ndata: {}\n\n"


FAMILIES: dict[str, Family] = {f.name: f for f in [
    Family("openai", "groq", "m", "text/event-stream", lambda p: p.endswith("/chat/completions"),
           _openai_answer,
           lambda s: {"data": [{"id": "org/model", "type": s,
                                "providers": [{"provider": s, "status": s}, {"provider": "ok"}]},
                               {"id": s}]},
           lambda m: {"error": {"message": m, "type": "server_error"}}, base_suffix="/openai/v1"),
    Family("anthropic", "anthropic", "claude-x", "text/event-stream", lambda p: p == "/v1/messages",
           _anthropic_answer,
           lambda s: {"data": [{"id": "claude-x", "display_name": s}, {"id": s}], "has_more": False},
           lambda m: {"type": "error", "error": {"type": "api_error", "message": m}}),
    Family("cohere", "cohere", "command-x", "text/event-stream", lambda p: p == "/v2/chat",
           _cohere_answer,
           lambda s: {"models": [{"name": "command-x"}, {"name": s}]},
           lambda m: {"message": m}),
    Family("bedrock", "bedrock", "anthropic.claude-x", "application/vnd.amazon.eventstream",
           lambda p: p.endswith("/converse-stream"), _bedrock_answer,
           lambda s: {"modelSummaries": [{"modelId": "anthropic.claude-x", "providerName": s,
                                          "modelName": s}, {"modelId": s}]},
           lambda m: {"message": m}, options={"region": "us-east-1"}, sse=False),
    Family("replicate", "replicate", "acme/llm", "text/event-stream",
           lambda p: p.endswith("/predictions") and not p.startswith("/v1/predictions/"),
           _replicate_answer,
           lambda s: {"results": [{"owner": "acme", "name": "llm", "description": s},
                                  {"owner": s, "name": "x"}], "next": None},
           lambda m: {"title": "error", "detail": m, "status": 500}),
]}


class HostileServer:
    """Serves what the test scripts. Unscripted calls get a good answer, so a test changes only
    the part it is about. `sent` records every request (to see where the key went)."""

    def __init__(self) -> None:
        self.server = FakeServer(self._handle).start()
        self.family = FAMILIES["openai"]
        self.chat: Response | None = None
        self.stream: Response | None = None
        self.prediction: dict[str, Any] | None = None
        self.models: Response | None = None
        self.urls: dict[str, str] | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def reset(self, family: Family) -> None:
        self.family = family
        self.chat = self.stream = self.models = None
        self.prediction = self.urls = None
        self.server.requests.clear()

    def answer(self, body: bytes | None = None, headers: dict[str, str] | None = None,
               content_type: str | None = None) -> Response:
        """A 200 stream in the family's format (for Replicate, the stream URL's body)."""
        body = self.family.answer(TEXT, 10, 20) if body is None else body
        return Response(200, {"content-type": content_type or self.family.stream_type,
                              **(headers or {})}, [(body, 0)])

    def _handle(self, request: Request) -> Response:
        family, base = self.family, self.server.url
        if request.path.endswith(("/models", "/foundation-models", "/v1/account")):  # key checks
            return self.models or Response.json_body(family.models("fine"))
        if family.name == "replicate":
            if request.path == "/stream/p1":
                return self.stream or self.answer()
            if request.path.startswith("/v1/predictions/p1"):
                return Response.json_body(self.prediction or {
                    "id": "p1", "status": "succeeded",
                    "metrics": {"input_token_count": 10, "output_token_count": 20, "predict_time": 1.0}})
        if family.chat_path(request.path):
            if self.chat is not None:
                return self.chat
            if family.name == "replicate":
                return Response.json_body({"id": "p1", "status": "starting", "urls": self.urls or {
                    "stream": f"{base}/stream/p1", "get": f"{base}/v1/predictions/p1",
                    "cancel": f"{base}/v1/predictions/p1/cancel"}}, 201)
            return self.answer()
        return Response.json_body({"error": {"message": f"no route {request.path}"}}, 404)
