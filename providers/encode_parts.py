"""Attachments in each provider family's own documented message format.

- OpenAI chat completions (and every OpenAI-compatible server): `content` becomes an array
  of `{"type": "text", "text"}` and `{"type": "image_url", "image_url": {"url": "data:..."}}`.
- Cohere v2 Chat: the same `text` / `image_url` content parts.
- Anthropic Messages: `{"type": "image", "source": {"type": "base64", "media_type", "data"}}`
  blocks, put before the text as Anthropic's vision guide recommends.
- Bedrock Converse: `{"image": {"format": "png"|"jpeg"|"gif"|"webp", "source": {"bytes": b64}}}`
  content blocks (JSON carries the blob base64-encoded).
A text file is a text part headed by its name (parts.TextFilePart.as_text) everywhere.
"""

from __future__ import annotations

from typing import Any

from llmtui.providers.base import ChatMessage
from llmtui.providers.parts import ImagePart, TextFilePart


def openai_content(message: ChatMessage) -> str | list[dict[str, Any]]:
    """A plain string, or with attachments the content-part array: the text, each file as
    a text part, then each image as a base64 data URL."""
    if not message.parts:
        return message.content
    content: list[dict[str, Any]] = [{"type": "text", "text": message.content}]
    for part in message.parts:
        if isinstance(part, TextFilePart):
            content.append({"type": "text", "text": part.as_text()})
        else:
            content.append({"type": "image_url", "image_url": {"url": part.data_url()}})
    return content


def anthropic_blocks(message: ChatMessage) -> list[dict[str, Any]]:
    """Content blocks: images first, then the text, then each file as a text block."""
    blocks: list[dict[str, Any]] = [
        {"type": "image", "source": {"type": "base64", "media_type": p.media_type, "data": p.base64()}}
        for p in message.parts if isinstance(p, ImagePart)
    ]
    blocks.append({"type": "text", "text": message.content})
    blocks += [{"type": "text", "text": p.as_text()} for p in message.parts if isinstance(p, TextFilePart)]
    return blocks


def bedrock_blocks(message: ChatMessage) -> list[dict[str, Any]]:
    """Converse content blocks: the text, each file as a text block, each image block."""
    blocks: list[dict[str, Any]] = [{"text": message.content}]
    for part in message.parts:
        if isinstance(part, TextFilePart):
            blocks.append({"text": part.as_text()})
        else:
            blocks.append({"image": {"format": part.format, "source": {"bytes": part.base64()}}})
    return blocks
