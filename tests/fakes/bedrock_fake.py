"""A fake Bedrock runtime: ConverseStream as binary AWS event-stream frames (providers.md §14).

The frames are built here, from the format's spec, independently of the decoder
under test: `[u32 total][u32 headers_len][u32 crc32(prelude)][headers][payload]
[u32 crc32(everything before)]`, header = `[u8 name_len][name][u8 type][value]`.
Scenario by model id (the part after the last `.`, so `anthropic.ok` works too):
  ok (any other)       messageStart, contentBlockDelta x4, contentBlockStop, messageStop, metadata
  cached               metadata usage with cacheRead/cacheWrite
  throttled-midstream  text, then an :exception-type throttlingException frame
  validation           an :exception-type validationException frame first
  bad-crc              text, then a frame whose message CRC is wrong
  truncated            text, then half a frame and the end of the body
  http-429 / 429-once  HTTP 429 + x-amzn-ErrorType ThrottlingException (+ retry-after)
  http-403             HTTP 403 AccessDeniedException
  http-500             HTTP 500 InternalServerException
  reasoning            reasoningContent deltas (text pieces, a signature, a redactedContent block)
                       in blocks 0 and 1, then the text in block 2 (Claude thinking / DeepSeek-R1)
Run by hand: `python -m tests.fakes.bedrock_fake [PORT]`.
"""

from __future__ import annotations

import json
import struct
import sys
import time
import zlib
from typing import Any
from urllib.parse import unquote

from tests.fakes import content_shapes
from tests.fakes.server import FakeServer, Request, Response

EVENTSTREAM = {"content-type": "application/vnd.amazon.eventstream",
               "x-amzn-requestid": "0000-fake"}
TEXT = ["Hello", " from", " Bedrock", "!"]


def header(name: str, type_: int, value: bytes) -> bytes:
    raw = name.encode()
    return bytes([len(raw)]) + raw + bytes([type_]) + value


def string_header(name: str, value: str) -> bytes:
    raw = value.encode()
    return header(name, 7, struct.pack(">H", len(raw)) + raw)


def frame(headers: bytes, payload: bytes, *, corrupt: bool = False) -> bytes:
    total = 4 + 4 + 4 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    out = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + payload
    crc = zlib.crc32(out) ^ (0xFFFF if corrupt else 0)
    return out + struct.pack(">I", crc)


def event(event_type: str, data: dict[str, Any], **kw: Any) -> bytes:
    headers = (string_header(":event-type", event_type)
               + string_header(":content-type", "application/json")
               + string_header(":message-type", "event"))
    return frame(headers, json.dumps({**data, "p": "abcdefgh"}).encode(), **kw)


def exception(exception_type: str, message: str) -> bytes:
    headers = (string_header(":exception-type", exception_type)
               + string_header(":content-type", "application/json")
               + string_header(":message-type", "exception"))
    return frame(headers, json.dumps({"message": message}).encode())


def aws_error(status: int, type_: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response.json_body({"message": message}, status,
                              {"x-amzn-errortype": f"{type_}:http://internal.amazon.com/coral/"
                                                   "com.amazon.bedrock/", **(headers or {})})


class BedrockFake:
    """Accepts a Bearer key or any SigV4 Authorization; records what it got."""

    def __init__(self, expected_key: str = "bedrock-api-key-test") -> None:
        self.expected_key = expected_key
        self.counts: dict[str, int] = {}
        self.bodies: list[dict[str, Any]] = []

    def _authorised(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        return auth == f"Bearer {self.expected_key}" or auth.startswith("AWS4-HMAC-SHA256 Credential=")

    def __call__(self, request: Request) -> Response:
        if not self._authorised(request):
            return aws_error(403, "UnrecognizedClientException", "The security token included in "
                             "the request is invalid.")
        if request.method == "GET" and request.path == "/foundation-models":
            return Response.json_body({"modelSummaries": [
                {"modelId": "anthropic.claude-3-5-haiku-20241022-v1:0", "modelName": "Claude 3.5 Haiku",
                 "providerName": "Anthropic", "inputModalities": ["TEXT"], "outputModalities": ["TEXT"],
                 "responseStreamingSupported": True},
                {"modelId": "amazon.titan-embed-text-v2:0", "modelName": "Titan Embeddings",
                 "providerName": "Amazon", "responseStreamingSupported": False}]})
        if request.method == "POST" and request.path.endswith("/converse-stream"):
            model = unquote(request.path.split("/")[2])
            body = request.json()
            self.bodies.append(body)
            problem = content_shapes.first_problem(body.get("messages"), content_shapes.bedrock_content)
            if problem:
                return aws_error(400, "ValidationException", problem)
            return self.converse_stream(model)
        return aws_error(404, "UnknownOperationException", f"no route {request.path}")

    def converse_stream(self, model: str) -> Response:
        scenario = model.rsplit(".", 1)[-1]
        self.counts[scenario] = self.counts.get(scenario, 0) + 1
        start = [event("messageStart", {"role": "assistant"})]
        deltas = [event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": t}})
                  for t in TEXT]
        usage = {"inputTokens": 11, "outputTokens": 4, "totalTokens": 15}
        if scenario == "cached":
            usage = {"inputTokens": 10, "outputTokens": 4, "totalTokens": 1214,
                     "cacheReadInputTokens": 1000, "cacheWriteInputTokens": 200}
        end = [event("contentBlockStop", {"contentBlockIndex": 0}),
               event("messageStop", {"stopReason": "end_turn"}),
               event("metadata", {"usage": usage, "metrics": {"latencyMs": 321}})]

        def stream(frames: list[bytes], **kw: Any) -> Response:
            return Response(200, EVENTSTREAM, [(f, 0) for f in frames], **kw)

        if scenario == "reasoning":
            def thought(index: int, **fields: Any) -> bytes:
                return event("contentBlockDelta", {"contentBlockIndex": index,
                                                   "delta": {"reasoningContent": fields}})
            reasoning = [thought(0, text=t) for t in ("Let me", " think", ".")]
            reasoning += [thought(0, signature="EqQBCgIYAhIM1gbcDa9G"),
                          event("contentBlockStop", {"contentBlockIndex": 0}),
                          thought(1, redactedContent="ZW5jcnlwdGVk"),
                          event("contentBlockStop", {"contentBlockIndex": 1})]
            text = [event("contentBlockDelta", {"contentBlockIndex": 2, "delta": {"text": t}})
                    for t in TEXT]
            return stream(start + reasoning + text + end)
        if scenario == "http-429" or (scenario == "429-once" and self.counts[scenario] == 1):
            return aws_error(429, "ThrottlingException", "Too many requests, please wait before "
                             "trying again.", {"retry-after": "0.2" if scenario == "429-once" else "5"})
        if scenario == "http-403":
            return aws_error(403, "AccessDeniedException", "You don't have access to the model "
                             "with the specified model ID.")
        if scenario == "http-500":
            return aws_error(500, "InternalServerException", "Internal server error")
        if scenario == "throttled-midstream":
            return stream(start + deltas[:2] + [exception("throttlingException",
                                                          "Too many tokens, please wait.")])
        if scenario == "validation":
            return stream([exception("validationException", "The model returned the following "
                                     "errors: messages: roles must alternate")])
        if scenario == "bad-crc":
            return stream(start + deltas[:2] + [deltas[2][:-4] + b"\x00\x00\x00\x00"])
        if scenario == "truncated":
            cut = len(deltas[2]) // 2
            return stream(start + deltas[:2] + [deltas[2][:cut]])
        return stream(start + deltas + end)


def start_bedrock_fake(**kwargs: Any) -> tuple[FakeServer, BedrockFake]:
    fake = BedrockFake(**kwargs)
    return FakeServer(fake).start(), fake


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8769
    server = FakeServer(BedrockFake(), port).start()
    print(f"fake Bedrock runtime on {server.url} (key bedrock-api-key-test; Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
