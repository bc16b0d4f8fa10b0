"""A fake Anthropic Messages API, byte for byte as providers.md §8 and the SDK describe.

Scenario by requested model name:
  ok (any other name)  message_start, ping, text deltas, message_delta, message_stop
  cached               usage with cache reads and writes (input_tokens is the uncached part)
  429 / 429-once       rate_limit_error with retry-after (always / first request only)
  500 / 529            api_error / overloaded_error bodies
  overloaded-midstream text, then `event: error` overloaded_error
  drop                 text, then the connection is cut
  no-stop              text, then the body ends without message_delta/message_stop
  thinking[-MS]        extended thinking as the docs stream it: a `thinking` block (thinking_delta
                       pieces MS ms apart, then signature_delta), a `redacted_thinking` block,
                       then the text block at index 2; `thinking-counted`: the same, its final
                       usage breaking output down (`output_tokens_details.thinking_tokens`) as
                       newer API versions do
Run by hand: `python -m tests.fakes.anthropic_fake [PORT]`.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from tests.fakes import content_shapes
from tests.fakes.server import FakeServer, Request, Response

TEXT = ["Hello", " from", " Claude", "!"]
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache",
               "request-id": "req_fake"}
RATE_HEADERS = {
    "anthropic-ratelimit-requests-limit": "50",
    "anthropic-ratelimit-requests-remaining": "49",
    "anthropic-ratelimit-requests-reset": "2030-01-01T00:00:00Z",
    "anthropic-ratelimit-tokens-limit": "80000",
    "anthropic-ratelimit-tokens-remaining": "79000",
    "anthropic-ratelimit-tokens-reset": "2030-01-01T00:00:00Z",
}


def event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def error_body(type_: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": type_, "message": message}, "request_id": "req_fake"}


def message_start(model: str, usage: dict[str, int]) -> bytes:
    return event("message_start", {"type": "message_start", "message": {
        "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {**usage, "output_tokens": 1}}})


def text_delta(text: str, index: int = 0) -> bytes:
    return event("content_block_delta", {"type": "content_block_delta", "index": index,
                                         "delta": {"type": "text_delta", "text": text}})


THOUGHT = ["Let me", " think", " about", " «that»", "."]


def thinking_blocks(gap: float) -> list[tuple[bytes, float]]:
    """Blocks 0 (thinking) and 1 (redacted_thinking), byte for byte as the streaming docs show."""
    def block(kind: str, index: int, **fields: Any) -> bytes:
        return event("content_block_start", {"type": "content_block_start", "index": index,
                                             "content_block": {"type": kind, **fields}})

    def delta(index: int, **fields: Any) -> bytes:
        return event("content_block_delta", {"type": "content_block_delta", "index": index,
                                             "delta": fields})

    def stop(index: int) -> bytes:
        return event("content_block_stop", {"type": "content_block_stop", "index": index})

    return [
        (block("thinking", 0, thinking="", signature=""), 0),
        *[(delta(0, type="thinking_delta", thinking=t), gap) for t in THOUGHT],
        (delta(0, type="signature_delta", signature="EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pk"), 0),
        (stop(0), 0),
        (block("redacted_thinking", 1, data="EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr"), 0),
        (stop(1), 0),
    ]


class AnthropicFake:
    def __init__(self, expected_key: str = "sk-ant-test") -> None:
        self.expected_key = expected_key
        self.counts: dict[str, int] = {}
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        if request.headers.get("x-api-key") != self.expected_key:
            return Response.json_body(error_body("authentication_error", "invalid x-api-key"), 401)
        if request.method == "GET" and request.path == "/v1/models":
            return Response.json_body({"data": [
                {"type": "model", "id": "claude-sonnet-4-5", "display_name": "Claude Sonnet 4.5",
                 "created_at": "2025-09-29T00:00:00Z", "max_input_tokens": 200000},
                {"type": "model", "id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5",
                 "created_at": "2025-10-01T00:00:00Z"}],
                "has_more": False, "first_id": "claude-sonnet-4-5", "last_id": "claude-haiku-4-5"})
        if request.method == "POST" and request.path == "/v1/messages":
            body = request.json()
            self.bodies.append(body)
            problem = content_shapes.first_problem(body.get("messages"), content_shapes.anthropic_content)
            if problem:
                return Response.json_body(error_body("invalid_request_error", problem), 400)
            return self.messages(str(body.get("model", "")),
                                 content_shapes.image_count(body.get("messages")))
        return Response.json_body(error_body("not_found_error", f"no route {request.path}"), 404)

    def messages(self, model: str, image_count: int = 0) -> Response:
        self.counts[model] = self.counts.get(model, 0) + 1
        usage = {"input_tokens": 12 + content_shapes.IMAGE_TOKENS * image_count,
                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if model == "cached":
            usage = {"input_tokens": 10, "cache_creation_input_tokens": 200,
                     "cache_read_input_tokens": 1000}
        head = [
            (message_start(model, usage), 0),
            (event("content_block_start", {"type": "content_block_start", "index": 0,
                                           "content_block": {"type": "text", "text": ""}}), 0),
            (event("ping", {"type": "ping"}), 0),
        ]
        body = [(text_delta(t), 0) for t in TEXT]
        tail = [
            (event("content_block_stop", {"type": "content_block_stop", "index": 0}), 0),
            (event("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                     "usage": {"output_tokens": 5}}), 0),
            (event("message_stop", {"type": "message_stop"}), 0),
        ]

        def stream(pieces: list[tuple[bytes, float]], **kw: Any) -> Response:
            return Response(200, {**SSE_HEADERS, **RATE_HEADERS}, pieces, **kw)

        if model == "429" or (model == "429-once" and self.counts[model] == 1):
            return Response.json_body(
                error_body("rate_limit_error", "Number of request tokens has exceeded your rate limit"),
                429, {"retry-after": "0.2" if model == "429-once" else "7", **RATE_HEADERS})
        if model == "500":
            return Response.json_body(error_body("api_error", "Internal server error"), 500)
        if model == "529":
            return Response.json_body(error_body("overloaded_error", "Overloaded"), 529)
        if model == "overloaded-midstream":
            return stream(head + body[:2] + [
                (event("error", {"type": "error", "error": {"type": "overloaded_error",
                                                            "message": "Overloaded"}}), 0)])
        if model == "drop":
            return stream(head + body[:2], drop=True)
        if model == "no-stop":
            return stream(head + body[:2])
        if model.startswith("thinking"):
            ms = model.partition("-")[2]
            gap = int(ms) / 1000 if ms.isdigit() else 0.0
            text = [(event("content_block_start", {"type": "content_block_start", "index": 2,
                                                   "content_block": {"type": "text", "text": ""}}), 0),
                    *[(text_delta(t, 2), 0) for t in TEXT],
                    (event("content_block_stop", {"type": "content_block_stop", "index": 2}), 0)]
            end = tail[1:]
            if model == "thinking-counted":
                end[0] = (event("message_delta", {
                    "type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 40, "output_tokens_details": {"thinking_tokens": 31}}}), 0)
            return stream([head[0], head[2], *thinking_blocks(gap), *text, *end])
        return stream(head + body + tail)


def start_anthropic_fake(**kwargs: Any) -> tuple[FakeServer, AnthropicFake]:
    fake = AnthropicFake(**kwargs)
    return FakeServer(fake).start(), fake


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8766
    server = FakeServer(AnthropicFake(), port).start()
    print(f"fake Anthropic on {server.url} (key sk-ant-test; Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
