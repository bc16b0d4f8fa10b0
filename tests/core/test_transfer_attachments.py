"""JSON / JSONL export and import carry attachments (subprocess CLI, real SQLite files): each
file once, base64, by SHA-256; restored into the other store's attachment table so a reopened
import resends them; a file whose bytes do not match its hash, or that is not what it says, is
refused in one line and nothing is imported."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest

from llmtui.core.config import parse_config
from llmtui.core.runtime import Runtime
from llmtui.core.session import ChatSession
from llmtui.core.store import Store
from llmtui.providers.parts import ImagePart, TextFilePart
from tests.cli.test_attach import png
from tests.conftest import run_cli


def _seed(path: Path) -> tuple[int, bytes]:
    store = Store(path)
    image = png(8, 8)
    conv = store.new_conversation(["demo/simulated"])
    first = store.add_message(conv, "user", "what is in this picture?", model="demo/simulated")
    store.save_parts(first, [ImagePart(image, "image/png", "shot.png"), TextFilePart("n.md", "# hi")])
    answer = store.add_message(conv, "assistant", "A grey square.", model="demo/simulated", parent_id=first)
    again = store.add_message(conv, "user", "and this one?", model="demo/simulated", parent_id=answer)
    store.save_parts(again, [ImagePart(image, "image/png", "same.png")])  # the same bytes
    store.add_message(conv, "assistant", "The same square.", model="demo/simulated", parent_id=again)
    store.close()
    return conv, image


def _export(tmp_path: Path, fmt: str) -> Path:
    conv, _ = _seed(tmp_path / "from.sqlite3")
    out = tmp_path / f"chat.{fmt}"
    result = run_cli("export", str(conv), "--format", fmt, "-o", str(out),
                     env={"LLMTUI_DB": str(tmp_path / "from.sqlite3")})
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_round_trip_carries_attachments(tmp_path: Path, fmt: str) -> None:
    out = _export(tmp_path, fmt)
    text = out.read_text()
    assert text.count(base64.b64encode(png(8, 8)).decode()) == 1  # each file once
    other = tmp_path / "to.sqlite3"
    result = run_cli("import", str(out), env={"LLMTUI_DB": str(other)})
    assert result.returncode == 0, result.stderr
    store = Store(other)
    (new_id,) = [c.id for c in store.conversations()]
    users = [m.id for m in store.messages(new_id) if m.role == "user"]
    linked = store.attachments_of(users)
    assert [[a.name for a in linked[u]] for u in users] == [["shot.png", "n.md"], ["same.png"]]
    assert linked[users[0]][0].part == ImagePart(png(8, 8), "image/png", "shot.png")
    assert linked[users[0]][1].part == TextFilePart("n.md", "# hi")
    assert store.attachment_count() == 2
    # Reopened, the imported conversation resends its files with their prompts.
    session = ChatSession(Runtime(parse_config("", tmp_path / "c.toml"), store), ["demo/simulated"])
    assert asyncio.run(session.reopen(new_id))
    sent = session.history("demo/simulated")
    assert [len(m.parts) for m in sent if m.role == "user"] == [2, 1]
    store.close()


def _tampered(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    out = _export(tmp_path, "json")
    data = json.loads(out.read_text())
    change(data)
    out.write_text(json.dumps(data))
    return out


def _swap_bytes(data: dict) -> None:  # type: ignore[type-arg]
    data["attachments"][0]["data"] = base64.b64encode(png(9, 9)).decode()


def _text_said_image(data: dict) -> None:  # type: ignore[type-arg]
    text = next(f for f in data["attachments"] if f["kind"] == "text")
    text["kind"] = "image"


def _unknown_ref(data: dict) -> None:  # type: ignore[type-arg]
    data["messages"][0]["attachments"][0]["sha256"] = "0" * 64


def _not_base64(data: dict) -> None:  # type: ignore[type-arg]
    data["attachments"][0]["data"] = "not base64!"


@pytest.mark.parametrize(("change", "said"), [
    (_swap_bytes, "do not match its sha256"),
    (_text_said_image, "not PNG, JPEG, GIF or WebP"),
    (_unknown_ref, "which the export does not hold"),
    (_not_base64, "not base64"),
])
def test_a_bad_attachment_refuses_the_import(tmp_path: Path, change, said: str) -> None:  # type: ignore[no-untyped-def]
    out = _tampered(tmp_path, change)
    other = tmp_path / "to.sqlite3"
    result = run_cli("import", str(out), env={"LLMTUI_DB": str(other)})
    assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    store = Store(other)
    assert store.conversations() == [] and store.attachment_count() == 0
    store.close()
