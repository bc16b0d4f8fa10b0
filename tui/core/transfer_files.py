"""Attachments in the JSON/JSONL export, and back in on import.

Out: each message lists its files as `{"sha256", "name"}`; each file is written once, as
`{"sha256", "kind", "media_type", "size", "data"}` with the bytes base64 (JSON: the top-level
`attachments` list; JSONL: one `{"type": "attachment", ...}` line per file, after its
conversation line).
In: a file is data from anywhere, so each is checked before anything is stored: base64 that
decodes strictly, at most attachments.MAX_BYTES, its SHA-256 equal to the one it claims, an
image whose bytes are PNG/JPEG/GIF/WebP (the media type is read from them, never taken from
the file) or UTF-8 text. A file that fails, or a message naming a file the export does not
hold, makes the whole import refused in one line (transfer.NotImportable): nothing half-done.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llmtui.core.attachments import MAX_BYTES
from llmtui.providers.parts import ImagePart, Part, TextFilePart, sniff_image
from llmtui.sanitize import one_line

if TYPE_CHECKING:
    from llmtui.core.store import Store

_SHA = re.compile(r"[0-9a-f]{64}")
_MAX_B64 = (MAX_BYTES + 2) // 3 * 4


class BadAttachment(ValueError):
    """One line saying which file of the export is wrong and how."""


# ------------------------------------------------------------------ out


def files_out(store: Store, message_ids: Sequence[int]) -> tuple[dict[int, list[dict[str, str]]],
                                                                   list[dict[str, Any]]]:
    """(each message's `{"sha256", "name"}` list, each file once in JSON form)."""
    from llmtui.core.store import digest

    refs: dict[int, list[dict[str, str]]] = {}
    files: dict[str, dict[str, Any]] = {}
    for message_id, found in store.attachments_of(list(message_ids)).items():
        for att in found:
            refs.setdefault(message_id, []).append({"sha256": att.sha256, "name": att.name})
            if att.sha256 not in files:
                sha, kind, media_type, data = digest(att.part)
                files[sha] = {"sha256": sha, "kind": kind, "media_type": media_type,
                              "size": len(data), "data": base64.b64encode(data).decode("ascii")}
    return refs, list(files.values())


# ------------------------------------------------------------------ in


def files_in(raw: Iterable[Any]) -> dict[str, tuple[str, bytes]]:
    """The export's files, checked: sha256 -> (media type, bytes). Raises BadAttachment."""
    found: dict[str, tuple[str, bytes]] = {}
    for number, item in enumerate(raw, 1):
        if not isinstance(item, Mapping):
            raise BadAttachment(f"attachment {number}: not an object")
        sha, encoded = item.get("sha256"), item.get("data")
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            raise BadAttachment(f"attachment {number}: no sha256 (64 lowercase hex digits)")
        if not isinstance(encoded, str) or len(encoded) > _MAX_B64:
            raise BadAttachment(f"attachment {sha[:12]}: no base64 data, or more than "
                                f"{MAX_BYTES // (1024 * 1024)} MB")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise BadAttachment(f"attachment {sha[:12]}: its data is not base64") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise BadAttachment(f"attachment {sha[:12]}: its bytes do not match its sha256")
        found[sha] = (_media_type(item.get("kind"), data, sha), data)
    return found


def _media_type(kind: Any, data: bytes, sha: str) -> str:
    if kind == "image":
        media_type = sniff_image(data)
        if media_type is None:
            raise BadAttachment(f"attachment {sha[:12]}: said to be an image, but its bytes are "
                                "not PNG, JPEG, GIF or WebP")
        return media_type
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadAttachment(f"attachment {sha[:12]}: said to be text, but not UTF-8") from None
        return "text/plain"
    raise BadAttachment(f"attachment {sha[:12]}: kind must be image or text")


def parts_in(raw: Any, files: Mapping[str, tuple[str, bytes]]) -> tuple[Part, ...]:
    """A message's `attachments` list as parts, from the checked files. Raises BadAttachment."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise BadAttachment("a message's attachments must be a list")
    parts: list[Part] = []
    for ref in raw:
        sha = ref.get("sha256") if isinstance(ref, Mapping) else None
        if not isinstance(sha, str) or sha not in files:
            raise BadAttachment(f"a message names attachment {str(sha)[:12]!r}, which the export "
                                "does not hold")
        name = ref.get("name")
        name = one_line(name)[:255] if isinstance(name, str) and name.strip() else "attachment"
        media_type, data = files[sha]
        if media_type == "text/plain":
            parts.append(TextFilePart(name, data.decode("utf-8")))
        else:
            parts.append(ImagePart(data, media_type, name))
    return tuple(parts)
