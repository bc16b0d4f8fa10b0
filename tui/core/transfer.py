"""Conversations as JSON / JSONL (export and import), and `import_file` for every known format.

The llmtui JSON format is one object: `{"format": "llmtui.conversation", "version": 1,
"conversation": {...}, "messages": [...]}`; JSONL is the same as lines, one
`{"type": "conversation", ...}` then one `{"type": "message", ...}` per message, and several
conversations may follow each other. Exporting then importing gives back the same
conversation: text, models, timestamps, usage, cost, branches (parents are ids in the file)
and attachments (each file once, base64, by its SHA-256; checked on the way in:
transfer_files.py). Votes are not carried over (they belong to the store that cast them).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmtui.core.export import ConversationNotFound
from llmtui.core.sampling import SamplingError, from_json, from_mapping, to_json
from llmtui.providers.base import EFFORTS
from llmtui.sanitize import json_dumps, sanitize

if TYPE_CHECKING:

    from llmtui.core.store import Store, StoredMessage

FORMAT = "llmtui.conversation"
VERSION = 1
MAX_TEXT = 2_000_000  # characters per message; a larger one is cut, not refused
_ROLES = ("user", "assistant")
_STATUSES = ("done", "interrupted", "error")
_TEXT_FIELDS = ("model", "cost_usd", "cost_note", "finish_reason", "error_kind", "error_message",
                "served_by")
_INT_FIELDS = ("input_tokens", "output_tokens", "cached_input_tokens", "lane", "reasoning_tokens",
               "thinking_budget")
_FLOAT_FIELDS = ("ttft_s", "duration_s", "answer_ttft_s", "thinking_s")


class NotImportable(ValueError):
    """The file is not a format llmtui can import; the message says which part is wrong."""


@dataclass
class Imported:
    """One conversation ready for `Store.import_conversation`."""

    header: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------ export


def _message_json(m: StoredMessage, reasoning: bool = True) -> dict[str, Any]:
    data = {
        "id": m.id, "parent_id": m.parent_id, "lane": m.lane, "role": m.role, "content": m.content,
        "model": m.model, "status": m.status, "created_at": m.created_at,
        "input_tokens": m.input_tokens, "output_tokens": m.output_tokens,
        "cached_input_tokens": m.cached_input_tokens, "usage_estimated": m.usage_estimated,
        "cost_usd": m.cost_usd, "cost_estimated": m.cost_estimated, "cost_note": m.cost_note,
        "ttft_s": m.ttft_s, "duration_s": m.duration_s, "finish_reason": m.finish_reason,
        "error_kind": m.error_kind, "error_message": m.error_message, "served_by": m.served_by,
        "reasoning": m.reasoning or None, "answer_ttft_s": m.answer_ttft_s, "thinking_s": m.thinking_s,
        "reasoning_tokens": m.reasoning_tokens, "reasoning_estimated": m.reasoning_estimated,
        "reasoning_effort": m.reasoning_effort, "thinking_budget": m.thinking_budget,
        "params": from_json(m.params).as_dict() or None, "reasoning_redacted": m.reasoning_redacted,
    }
    if not reasoning:
        del data["reasoning"], data["reasoning_redacted"]
    return data


def _header_json(store: Store, conversation_id: int) -> dict[str, Any]:
    conv = store.conversation(conversation_id)
    if conv is None:
        raise ConversationNotFound(f"no conversation {conversation_id}")
    return {"id": conv.id, "title": conv.title, "mode": conv.mode, "models": list(conv.models),
            "blind": conv.blind, "system": store.system_prompt(conversation_id),
            "preset": store.preset_of(conversation_id),
            "created_at": conv.created_at, "updated_at": conv.updated_at}


def _messages_json(store: Store, conversation_id: int,
                   reasoning: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages, each with its attachments named, and the files they carry (once each)."""
    from llmtui.core.transfer_files import files_out

    messages = store.messages(conversation_id)
    refs, files = files_out(store, [m.id for m in messages])
    out = []
    for m in messages:
        data = _message_json(m, reasoning)
        if m.id in refs:
            data["attachments"] = refs[m.id]
        out.append(data)
    return out, files


def conversation_json(store: Store, conversation_id: int, *, reasoning: bool = True) -> str:
    header = _header_json(store, conversation_id)
    messages, files = _messages_json(store, conversation_id, reasoning)
    data = {"format": FORMAT, "version": VERSION, "conversation": header, "messages": messages}
    if files:
        data["attachments"] = files
    return json_dumps(data, indent=2) + "\n"


def conversation_jsonl(store: Store, conversation_id: int, *, reasoning: bool = True) -> str:
    header = _header_json(store, conversation_id)
    messages, files = _messages_json(store, conversation_id, reasoning)
    lines = [{"type": "conversation", "format": FORMAT, "version": VERSION, **header}]
    lines += [{"type": "attachment", **f} for f in files]
    lines += [{"type": "message", **m} for m in messages]
    return "".join(json_dumps(line) + "\n" for line in lines)


# ------------------------------------------------------------------ import (validation)


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text from a file is data: a string, no terminal escapes, bounded."""
    return sanitize(value[:limit]) if isinstance(value, str) else ""


def _number(value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return kind(value)


def _timestamp(value: Any, fallback: float) -> float:
    found = _number(value, float)
    return found if found is not None and found < 1e11 else fallback


def clean_message(raw: Mapping[str, Any], fallback_time: float) -> dict[str, Any] | None:
    role = raw.get("role")
    if role not in _ROLES:
        return None
    status = raw.get("status") if raw.get("status") in _STATUSES else "done"
    if raw.get("status") == "streaming":  # exported while another llmtui streamed it: a copy never grows
        status = "interrupted"
    out: dict[str, Any] = {"role": role, "content": clean_text(raw.get("content")), "status": status,
                           "created_at": _timestamp(raw.get("created_at"), fallback_time),
                           "key": raw.get("id"), "parent_key": raw.get("parent_id")}
    for name in _TEXT_FIELDS:
        if isinstance(raw.get(name), str):
            out[name] = clean_text(raw[name], 2000)
    for name in _INT_FIELDS:
        if (number := _number(raw.get(name), int)) is not None:
            out[name] = number
    for name in _FLOAT_FIELDS:
        if (number := _number(raw.get(name), float)) is not None:
            out[name] = number
    for name in ("usage_estimated", "cost_estimated", "reasoning_estimated", "reasoning_redacted"):
        out[name] = int(bool(raw.get(name)))
    if raw.get("reasoning_effort") in EFFORTS:
        out["reasoning_effort"] = raw["reasoning_effort"]
    if isinstance(raw.get("reasoning"), str):
        out["reasoning"] = clean_text(raw["reasoning"])
    if isinstance(raw.get("params"), dict):
        try:
            out["params"] = to_json(from_mapping(raw["params"]))
        except SamplingError:
            pass  # parameters no llmtui could have sent: the answer comes in without them
    return out


def clean_header(raw: Mapping[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    first = min((m["created_at"] for m in messages), default=0.0)
    created = _timestamp(raw.get("created_at"), first)
    models = [clean_text(m, 300) for m in raw.get("models") or () if isinstance(m, str)]
    if not models:
        models = list(dict.fromkeys(m["model"] for m in messages if m.get("model")))
    mode = raw.get("mode") if raw.get("mode") in ("chat", "compare", "mixed") else "chat"
    system, preset = raw.get("system"), raw.get("preset")
    return {"title": clean_text(raw.get("title"), 200), "mode": mode, "models": models,
            "blind": bool(raw.get("blind")), "created_at": created,
            "updated_at": _timestamp(raw.get("updated_at"), created),
            "system": clean_text(system) if isinstance(system, str) else None,
            "preset": clean_text(preset, 100) if isinstance(preset, str) else None}


def _ours(header: Mapping[str, Any], messages: Iterable[Mapping[str, Any]],
          files: Iterable[Any] = ()) -> Imported:
    from llmtui.core.transfer_files import BadAttachment, files_in, parts_in

    fallback = _timestamp(header.get("created_at"), 0.0)
    try:
        checked = files_in(files)
        kept = []
        for raw in messages:
            if isinstance(raw, Mapping) and (m := clean_message(raw, fallback)) is not None:
                if parts := parts_in(raw.get("attachments"), checked):
                    m["parts"] = parts
                kept.append(m)
    except BadAttachment as exc:
        raise NotImportable(str(exc)) from None
    return Imported(clean_header(header, kept), kept)


def read_json(data: Any) -> list[Imported]:
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise NotImportable("not an llmtui JSON export (no \"format\": \"llmtui.conversation\")")
    if data.get("version") != VERSION:
        raise NotImportable(f"llmtui JSON version {data.get('version')!r}; this llmtui reads {VERSION}")
    header, messages = data.get("conversation"), data.get("messages")
    files = data.get("attachments") or []
    if not isinstance(header, Mapping) or not isinstance(messages, list) or not isinstance(files, list):
        raise NotImportable("llmtui JSON without a conversation object and a messages list")
    return [_ours(header, messages, files)]


def read_jsonl(lines: Iterable[str]) -> list[Imported]:
    found: list[Imported] = []
    header: dict[str, Any] | None = None
    messages: list[Mapping[str, Any]] = []
    files: list[Mapping[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NotImportable(f"line {number}: not JSON ({exc.msg})") from None
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "conversation":
            if header is not None:
                found.append(_ours(header, messages, files))
            header, messages, files = item, [], []
        elif kind == "message" and header is not None:
            messages.append(item)
        elif kind == "attachment" and header is not None:
            files.append(item)
        else:
            raise NotImportable(f"line {number}: expected a conversation line, then message lines")
    if header is not None:
        found.append(_ours(header, messages, files))
    return found


def import_all(store: Store, conversations: Iterable[Imported]) -> Iterator[tuple[int, bool]]:
    """Store each conversation: yields (id, True) when new, (existing id, False) when present."""
    for conv in conversations:
        header = conv.header
        existing = store.find_imported(header["created_at"], header["title"])
        if existing is not None:
            yield existing, False
            continue
        yield store.import_conversation(header, conv.messages), True

