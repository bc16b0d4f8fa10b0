"""How many prompt tokens an image costs, before the provider says (estimates, budgets).

Each provider's usage report replaces this afterwards. Formulas, per provider family:
- Anthropic (and Claude on Bedrock): tokens = (width * height) / 750, after Anthropic's own
  downscale to at most 1568 px on the long edge and ~1.15 megapixels, so at most ~1600.
- OpenAI (and every OpenAI-compatible server, as an upper bound): high detail: fit within
  2048 x 2048, then the short side to 768; 85 + 170 per 512 px tile (at most 1445).
- Anything else (Cohere, Replicate, ...): the larger of the two above: a documented upper bound.
An image whose size cannot be read counts UNKNOWN_SIZE_TOKENS (the largest either formula gives).
"""

from __future__ import annotations

import math
import struct

from llmtui.providers.base import ChatRequest, estimate_tokens
from llmtui.providers.parts import ImagePart, images, text_with_files

UNKNOWN_SIZE_TOKENS = 1600


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, GIF, JPEG or WebP header; None when it cannot be read."""
    try:
        if data.startswith(b"\x89PNG") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return int(w) & 0x3FFF, int(h) & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return int(w), int(h)
        i += 2 + length
    return None


def anthropic_tokens(width: int, height: int) -> int:
    scale = min(1.0, 1568 / max(width, height), math.sqrt(1_150_000 / max(1, width * height)))
    w, h = width * scale, height * scale
    return max(1, math.ceil(w * h / 750))


def openai_tokens(width: int, height: int) -> int:
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / max(1.0, min(w, h)))
    w, h = w * scale, h * scale
    return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def image_tokens(kind: str, model: str, image: ImagePart) -> int:
    """Prompt tokens one image is expected to cost on a provider of this kind."""
    size = image_size(image.data)
    if size is None or min(size) <= 0:
        return UNKNOWN_SIZE_TOKENS
    w, h = size
    if kind == "anthropic" or (kind == "bedrock" and "claude" in model):
        return anthropic_tokens(w, h)
    if kind == "openai":
        return openai_tokens(w, h)
    return max(anthropic_tokens(w, h), openai_tokens(w, h))


def request_prompt_tokens(request: ChatRequest, kind: str = "") -> int:
    """The prompt's estimated tokens: text, attached text files, and each image by its
    provider family's formula (no kind: the upper bound of the formulas, for budgets)."""
    text = (request.system or "") + "".join(text_with_files(m.content, m.parts) for m in request.messages)
    pictures = sum(image_tokens(kind, request.model, image)
                   for message in request.messages for image in images(message.parts))
    return estimate_tokens(text) + pictures
