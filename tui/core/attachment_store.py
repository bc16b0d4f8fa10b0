"""Attachments in the store: each file once, by its sha256, linked to the messages that
carry it (schema v7 in store.py). A message's text and the search index never hold them."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from llmtui.core.store import Store
from llmtui.providers.parts import ImagePart, Part, TextFilePart


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    message_id: int
    sha256: str
    name: str
    part: Part


def digest(part: Part) -> tuple[str, str, str, bytes]:
    """(sha256, kind, media type, bytes) of a part as stored."""
    if isinstance(part, ImagePart):
        data, kind, media_type = part.data, "image", part.media_type
    else:
        data, kind, media_type = part.text.encode("utf-8"), "text", "text/plain"
    return hashlib.sha256(data).hexdigest(), kind, media_type, data


def save_parts(store: Store, message_id: int, parts: Sequence[Part]) -> list[str]:
    """Link `parts` to a message in order, storing each file's bytes only if new; their hashes."""
    with store.tx() as db:
        return link_parts(db, message_id, parts)


def link_parts(db: sqlite3.Connection, message_id: int, parts: Sequence[Part]) -> list[str]:
    """save_parts inside a transaction already open (an import stores a conversation in one)."""
    hashes = []
    for seq, part in enumerate(parts):
        sha, kind, media_type, data = digest(part)
        db.execute(
            "INSERT OR IGNORE INTO attachments (sha256, kind, media_type, size, data, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (sha, kind, media_type, len(data), data, time.time()))
        db.execute("INSERT INTO message_attachments (message_id, seq, sha256, name) "
                   "VALUES (?, ?, ?, ?)", (message_id, seq, sha, part.name))
        hashes.append(sha)
    return hashes


def _part(kind: str, media_type: str, data: bytes, name: str) -> Part:
    if kind == "image":
        return ImagePart(bytes(data), media_type, name)
    return TextFilePart(name, bytes(data).decode("utf-8", "replace"))


def attachments_of(store: Store, message_ids: Sequence[int]) -> dict[int, list[StoredAttachment]]:
    """Each message's attachments in the order they were sent."""
    found: dict[int, list[StoredAttachment]] = {}
    for start in range(0, len(message_ids), 500):
        chunk = list(message_ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        rows = store.rows(
            "SELECT l.message_id, l.sha256, l.name, a.kind, a.media_type, a.data "
            "FROM message_attachments l JOIN attachments a ON a.sha256 = l.sha256 "
            f"WHERE l.message_id IN ({marks}) ORDER BY l.message_id, l.seq", chunk)
        for message_id, sha, name, kind, media_type, data in rows:
            found.setdefault(message_id, []).append(
                StoredAttachment(message_id, sha, name, _part(kind, media_type, data, name)))
    return found


def parts_of(store: Store, message_id: int) -> tuple[Part, ...]:
    return tuple(a.part for a in attachments_of(store, [message_id]).get(message_id, []))


def stored_count(store: Store) -> int:
    """How many distinct files the store holds."""
    return int(store.rows("SELECT count(*) FROM attachments")[0][0])
