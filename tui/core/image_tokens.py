"""How many prompt tokens an image costs, before the provider says (estimates, budgets).

Each provider's usage report replaces this afterwards. Formulas, per provider family:
- Anthropic (and Claude on Bedrock): tokens = (width * height) / 750, after Anthropic's own
  downscale to at most 1568 px on the long edge and ~1.15 megapixels, so at most ~1600.
- OpenAI (and every OpenAI-compatible server, as an upper bound): high detail: fit within
  2048 x 2048, then the short side to 768; 85 + 170 per 512 px tile (at most 1445).
- Anything else (Cohere, Replicate, ...): the larger of the two above: a documented upper bound.
An attached image's size is always read (image_header.py refuses one it cannot read); one
whose size cannot be read all the same counts UNKNOWN_SIZE_TOKENS (the most either formula gives).
"""

from __future__ import annotations

import math

from llmtui.core.image_header import image_size
from llmtui.providers.base import ChatRequest, estimate_tokens
from llmtui.providers.parts import ImagePart, images, text_with_files

UNKNOWN_SIZE_TOKENS = 1600


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
