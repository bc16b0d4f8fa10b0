"""Bring history from other tools: simonw/llm's `logs.db` and ChatGPT's `conversations.json`.

Both become `transfer.Imported` conversations, validated the same way as llmtui's own JSON
(text sanitised and bounded, numbers finite). Model names gain a provider prefix when the
name makes it plain (`gpt-4o` -> `openai/gpt-4o`), else `llm/…` or `chatgpt/…` says where
they came from. Imported answers carry no cost: the spend of another tool is not ours.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from llmtui.core.transfer import (
    Imported,
    NotImportable,
    clean_header,
    clean_message,
    read_json,
    read_jsonl,
)

_PREFIXES = (("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
             ("chatgpt", "openai"), ("claude", "anthropic"), ("gemini", "gemini"),
             ("mistral", "mistral"), ("command", "cohere"), ("grok", "xai"), ("deepseek", "deepseek"))


def model_ref(name: str, origin: str) -> str:
    for prefix, provider in _PREFIXES:
        if name.lower().startswith(prefix):
            return f"{provider}/{name}"
    return f"{origin}/{name}"


def _iso_time(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


# ------------------------------------------------------------------ simonw/llm


def read_llm_logs(path: Path) -> list[Imported]:
    """Each llm conversation (its `responses` in time order) becomes one chat; the file is
    read by llmtui.core.store.llm_logs (read-only)."""
    from llmtui.core.store.llm_logs import NotLlmLogs, read_responses

    try:
        logs = read_responses(path)
    except NotLlmLogs as exc:
        raise NotImportable(str(exc)) from None
    chats: dict[Any, list[tuple[Any, ...]]] = {}
    for row in logs.responses:
        chats.setdefault(row[0], []).append(row)
    return [_llm_chat(logs.names.get(cid) or "", turns) for cid, turns in chats.items()]


def _llm_chat(name: str, turns: list[tuple[Any, ...]]) -> Imported:
    messages: list[dict[str, Any]] = []
    system = None
    for _cid, model, prompt, sys_prompt, response, duration_ms, when, tin, tout in turns:
        at = _iso_time(when) or 0.0
        system = system or sys_prompt
        ref = model_ref(str(model or "unknown"), "llm")
        key = len(messages)
        # A prompt's parent would mean "edited from that prompt": sequential turns have none.
        user = clean_message({"role": "user", "content": prompt or "", "created_at": at, "id": key}, at)
        seconds = duration_ms / 1000 if isinstance(duration_ms, int | float) else None
        answer = clean_message({"role": "assistant", "content": response or "", "created_at": at,
                                "model": ref, "id": key + 1, "parent_id": key, "duration_s": seconds,
                                "input_tokens": tin, "output_tokens": tout,
                                "cost_note": "imported from llm"}, at)
        messages += [m for m in (user, answer) if m is not None]
    header = clean_header({"title": name or (turns[0][2] or "")[:80], "system": system}, messages)
    return Imported(header, messages)


# ------------------------------------------------------------------ ChatGPT


def _parts_text(content: Any) -> str:
    if not isinstance(content, Mapping):
        return ""
    parts = content.get("parts")
    if isinstance(parts, list):
        return "\n".join(p for p in parts if isinstance(p, str))
    text = content.get("text")
    return text if isinstance(text, str) else ""


def _live_branch(mapping: Mapping[str, Any], current: Any) -> list[Mapping[str, Any]]:
    """The nodes from the root to `current_node` (the branch the user last saw)."""
    chain: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    node_id = current
    while isinstance(node_id, str) and node_id in mapping and node_id not in seen:
        seen.add(node_id)
        node = mapping[node_id]
        if not isinstance(node, Mapping):
            break
        chain.append(node)
        node_id = node.get("parent")
    return chain[::-1]


def read_chatgpt(data: Any) -> list[Imported]:
    """ChatGPT's export: a list of conversations, each a `mapping` tree of message nodes."""
    if not isinstance(data, list):
        raise NotImportable("a ChatGPT export is a JSON list of conversations")
    found = []
    for conv in data:
        if not isinstance(conv, Mapping) or not isinstance(conv.get("mapping"), Mapping):
            raise NotImportable("a JSON list, but not of ChatGPT conversations (no `mapping`)")
        found.append(_chatgpt_conversation(conv))
    return found


def _chatgpt_conversation(conv: Mapping[str, Any]) -> Imported:
    mapping = conv["mapping"]
    created = conv.get("create_time") if isinstance(conv.get("create_time"), int | float) else 0.0
    messages: list[dict[str, Any]] = []
    system = None
    prompt_key = None  # an answer replies to the latest prompt
    for node in _live_branch(mapping, conv.get("current_node")):
        message = node.get("message")
        if not isinstance(message, Mapping):
            continue
        author = message.get("author")
        role = author.get("role") if isinstance(author, Mapping) else None
        text = _parts_text(message.get("content"))
        if role == "system":
            system = text or system
            continue
        if role not in ("user", "assistant") or not text.strip():
            continue  # tool calls, hidden context, empty placeholders
        meta = message.get("metadata")
        slug = meta.get("model_slug") if isinstance(meta, Mapping) else None
        at = message.get("create_time")
        cleaned = clean_message({
            "role": role, "content": text, "id": len(messages),
            "parent_id": prompt_key if role == "assistant" else None,
            "created_at": at, "model": model_ref(slug, "chatgpt") if isinstance(slug, str) else None,
            "cost_note": "imported from ChatGPT" if role == "assistant" else None,
        }, float(created or 0.0))
        if cleaned is not None:
            prompt_key = len(messages) if role == "user" else prompt_key
            messages.append(cleaned)
    header = clean_header({"title": conv.get("title"), "created_at": conv.get("create_time"),
                           "updated_at": conv.get("update_time"), "system": system}, messages)
    return Imported(header, messages)


# ------------------------------------------------------------------ any file: ours or theirs


def read_file(path: Path) -> tuple[str, list[Imported]]:
    """(what the file was, its conversations). Raises NotImportable or OSError."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3"):
        return "simonw/llm logs.db", read_llm_logs(path)
    text = path.read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "ChatGPT conversations.json", read_chatgpt(_json(text))
    if stripped.startswith("{") and '"type"' in stripped.split("\n", 1)[0]:
        return "llmtui JSONL", read_jsonl(text.splitlines())
    return "llmtui JSON", read_json(_json(text))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotImportable(f"not JSON (line {exc.lineno}: {exc.msg})") from None
