"""`llmtui ask -a` / `compare -a` end to end (subprocess, loopback OpenAI-compatible fake, real
SQLite): the image reaches the server in its format, a text-only model is refused before
anything is sent, one stored copy of an image sent twice, `-a -` reads stdin."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from llmtui.core.store import Store
from tests.conftest import ROOT, run_cli

KEY = {"OPENAI_API_KEY": "sk-test-123"}


def png(width: int = 64, height: int = 32) -> bytes:
    """A real, valid PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * (width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def configure(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.openai]\nbase_url = "{fake_url}/v1"\n\n[network]\nmax_retries = 0\n')


def shot_file(tmp_path: Path) -> Path:
    shot = tmp_path / "shot.png"
    shot.write_bytes(png())
    return shot


def chats(server) -> list:  # type: ignore[no-untyped-def]
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def test_ask_sends_the_image_and_stores_one_copy(write_config, fake_url: str, openai_server,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, isolated_env: Path) -> None:
    server, _ = openai_server
    configure(write_config, fake_url)
    shot = shot_file(tmp_path)
    before = len(chats(server))
    for _ in range(2):
        result = run_cli("ask", "--json", "-m", "openai/gpt-4o", "-a", str(shot),
                         "what is in this picture?", env=KEY)
        assert result.returncode == 0, result.stderr
    sent = chats(server)[before:]
    assert len(sent) == 2
    content = sent[0].json()["messages"][-1]["content"]
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")
    data = json.loads(result.stdout)
    assert data["usage"]["input_tokens"] > 258  # the fake bills the image; usage says so
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    assert store.attachment_count() == 1
    users = [r[0] for r in store._rows("SELECT id FROM messages WHERE role = 'user'")]
    linked = store.attachments_of(users)
    assert [a.name for m in users for a in linked[m]] == ["shot.png", "shot.png"]
    # Never base64 in the text or the search index.
    assert store._rows("SELECT count(*) FROM messages WHERE content LIKE '%base64%'")[0][0] == 0
    assert store.search("iVBOR") == []


def test_text_only_model_is_refused_before_sending(write_config, fake_url: str, openai_server,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    server, _ = openai_server
    configure(write_config, fake_url)
    shot = shot_file(tmp_path)
    before = len(chats(server))
    result = run_cli("ask", "-m", "openai/gpt-3.5-turbo", "-a", str(shot), "what is this?", env=KEY)
    assert result.returncode == 1
    assert "openai/gpt-3.5-turbo takes no images" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(chats(server)) == before


def test_stdin_attachment_and_bad_files(write_config, fake_url: str, openai_server,  # type: ignore[no-untyped-def]
                                        tmp_path: Path) -> None:
    server, _ = openai_server
    configure(write_config, fake_url)
    before = len(chats(server))
    exe = Path(sys.executable).with_name("llmtui")
    result = subprocess.run([str(exe), "ask", "-m", "openai/gpt-4o", "-a", "-", "describe it"],
                            input=png(), capture_output=True, env={**os.environ, **KEY}, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert chats(server)[before].json()["messages"][-1]["content"][1]["type"] == "image_url"
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\0\1\2\3" * 10)
    bad = run_cli("ask", "-m", "openai/gpt-4o", "-a", str(binary), "x", env=KEY)
    assert bad.returncode == 2 and "blob.bin: not an image" in bad.stderr
    missing = run_cli("ask", "-m", "openai/gpt-4o", "-a", str(tmp_path / "nope.png"), "x", env=KEY)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_compare_sends_the_same_image_to_every_model(write_config, fake_url: str, openai_server,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    server, _ = openai_server
    configure(write_config, fake_url)
    shot = shot_file(tmp_path)
    notes = tmp_path / "notes.md"
    notes.write_text("# notes\n")
    before = len(chats(server))
    result = run_cli("compare", "--json", "-m", "openai/gpt-4o", "-m", "openai/gpt-4.1",
                     "-a", str(shot), "-a", str(notes), "what is in this picture?", env=KEY)
    assert result.returncode == 0, result.stderr
    sent = chats(server)[before:]
    assert sorted(r.json()["model"] for r in sent) == ["gpt-4.1", "gpt-4o"]
    contents = [r.json()["messages"][-1]["content"] for r in sent]
    assert contents[0] == contents[1]
    assert [p["type"] for p in contents[0]] == ["text", "image_url", "text"]
    assert contents[0][2]["text"] == '<file name="notes.md">\n# notes\n\n</file>'
