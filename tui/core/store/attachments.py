"""Attachments: each file stored once, by its sha256, and linked to the messages that carry
it (schema v7). A message's text and the search index never hold them (no base64 there)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from llmtui.core.store.database import Database
from llmtui.core.store.records import StoredAttachment
from llmtui.providers.parts import ImagePart, Part, TextFilePart


def digest(part: Part) -> tuple[str, str, str, bytes]:
    """(sha256, kind, media type, bytes) of a part as stored."""
    if isinstance(part, ImagePart):
        data, kind, media_type = part.data, "image", part.media_type
    else:
        data, kind, media_type = part.text.encode("utf-8"), "text", "text/plain"
    return hashlib.sha256(data).hexdigest(), kind, media_type, data


def _part(kind: str, media_type: str, data: bytes, name: str) -> Part:
    if kind == "image":
        return ImagePart(bytes(data), media_type, name)
    return TextFilePart(name, bytes(data).decode("utf-8", "replace"))


class AttachmentQueries(Database):
    def save_parts(self, message_id: int, parts: Sequence[Part]) -> list[str]:
        """Link `parts` to a message in order, storing each file's bytes only if new; their
        hashes. Inside another write (a prompt, an import) it joins that transaction."""
        hashes = []
        with self._tx() as db:
            for seq, part in enumerate(parts):
                sha, kind, media_type, data = digest(part)
                db.execute(
                    "INSERT OR IGNORE INTO attachments (sha256, kind, media_type, size, data, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (sha, kind, media_type, len(data), data, time.time()))
                db.execute("INSERT INTO message_attachments (message_id, seq, sha256, name) "
                           "VALUES (?, ?, ?, ?)", (message_id, seq, sha, part.name))
                hashes.append(sha)
        return hashes

    def attachments_of(self, message_ids: Sequence[int]) -> dict[int, list[StoredAttachment]]:
        """Each message's attachments in the order they were sent."""
        found: dict[int, list[StoredAttachment]] = {}
        for start in range(0, len(message_ids), 500):
            chunk = list(message_ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                "SELECT l.message_id, l.sha256, l.name, a.kind, a.media_type, a.data "
                "FROM message_attachments l JOIN attachments a ON a.sha256 = l.sha256 "
                f"WHERE l.message_id IN ({marks}) ORDER BY l.message_id, l.seq", chunk)
            for message_id, sha, name, kind, media_type, data in rows:
                found.setdefault(message_id, []).append(
                    StoredAttachment(message_id, sha, name, _part(kind, media_type, data, name)))
        return found

    def attachment_count(self) -> int:
        """How many distinct files the store holds."""
        return int(self._rows("SELECT count(*) FROM attachments")[0][0])

