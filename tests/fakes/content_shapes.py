"""What each provider family documents as a valid message `content`, checked by the fakes.

A fake answers 400 (in its provider's error shape) to content that the real API would
reject, so an adapter that drifts from the documented format fails against the fake too.
Each checker returns a problem string or None.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

IMAGE_MEDIA = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Tokens a fake bills per image (stands in for the provider's own image accounting).
IMAGE_TOKENS = 258


def _b64(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _data_url(url: Any) -> bool:
    if not isinstance(url, str) or not url.startswith("data:"):
        return False
    head, sep, data = url[5:].partition(";base64,")
    return bool(sep) and head in IMAGE_MEDIA and _b64(data)


def openai_content(content: Any) -> str | None:
    """Chat completions (and Cohere v2): a string or [{type: text|image_url, ...}]."""
    if isinstance(content, str):
        return None
    if not isinstance(content, list) or not content:
        return "content must be a string or a non-empty array of content parts"
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str) and set(part) == {"type", "text"}:
            continue
        if kind == "image_url" and set(part) == {"type", "image_url"} and isinstance(part["image_url"], dict):
            if _data_url(part["image_url"].get("url")):
                continue
            return "image_url.url must be a data:image/...;base64, URL"
        return f"invalid content part: {str(part)[:80]}"
    return None


def anthropic_content(content: Any) -> str | None:
    if isinstance(content, str):
        return None
    if not isinstance(content, list) or not content:
        return "messages.content: expected a string or a list of blocks"
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text" and isinstance(block.get("text"), str):
            continue
        if kind == "image":
            source = block.get("source")
            if (isinstance(source, dict) and source.get("type") == "base64"
                    and source.get("media_type") in IMAGE_MEDIA and _b64(source.get("data"))):
                continue
            return "image.source: expected {type: base64, media_type, data}"
        return f"invalid content block: {str(block)[:80]}"
    return None


def bedrock_content(content: Any) -> str | None:
    if not isinstance(content, list) or not content:
        return "content must be a non-empty list of ContentBlock"
    for block in content:
        if not isinstance(block, dict) or len(block) != 1:
            return "a ContentBlock is a union: exactly one member"
        if isinstance(block.get("text"), str):
            continue
        image = block.get("image")
        if (isinstance(image, dict) and image.get("format") in {"png", "jpeg", "gif", "webp"}
                and isinstance(image.get("source"), dict) and set(image["source"]) == {"bytes"}
                and _b64(image["source"]["bytes"])):
            continue
        return f"invalid ContentBlock: {str(block)[:80]}"
    return None


def first_problem(messages: Any, check: Any) -> str | None:
    for message in messages if isinstance(messages, list) else []:
        problem = check(message.get("content")) if isinstance(message, dict) else "bad message"
        if problem:
            return problem
    return None


def image_count(messages: Any) -> int:
    """Images in a request's messages, whichever family's shape they take."""
    count = 0
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict) and (part.get("type") in ("image_url", "image") or "image" in part):
                count += 1
    return count
