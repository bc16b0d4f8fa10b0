"""`llmtui ask -a` refusing what must not be sent (subprocess, loopback fake): every file
error shows the name made visible (escape codes as ␛, bidi as <U+202E>); an empty file or
stdin is refused; `-a -` twice is refused; an image whose header cannot be read is refused
in one line. In each case the fake gets no request."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from llmtui.core.store import Store
from tests.cli.test_attach import KEY, chats, configure, png
from tests.conftest import ROOT, run_cli

HOSTILE = "bin\x1b]0;PWNED\x07\x1b[31m\u202e"


@pytest.fixture
def sent(write_config, fake_url: str, openai_server):  # type: ignore[no-untyped-def]
    """How many chat requests the loopback fake has had, with ask pointed at it."""
    server, _ = openai_server
    configure(write_config, fake_url)
    return lambda: len(chats(server))


def ask_with(*files: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = Path(sys.executable).with_name("llmtui")
    args = [str(exe), "ask", "-m", "openai/gpt-4o"]
    for name in files:
        args += ["-a", name]
    return subprocess.run([*args, "describe it"], input=stdin or b"", capture_output=True,
                          env={**os.environ, **KEY}, cwd=ROOT, timeout=60)


def visible(stderr: bytes) -> str:
    text = stderr.decode()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "Traceback" not in text
    return text


def test_file_names_in_errors_are_escaped(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = sent()
    binary = tmp_path / f"{HOSTILE}.bin"
    binary.write_bytes(b"\0\1\2\3")
    folder = tmp_path / f"{HOSTILE}.dir"
    folder.mkdir()
    shown = "bin␛]0;PWNED␇␛[31m<U+202E>"
    for path, why in ((binary, "not an image"), (tmp_path / f"{HOSTILE}.png", "no such file"),
                      (folder, "not a file (a folder)")):
        result = ask_with(str(path))
        assert result.returncode == 2
        assert f"{shown}" in visible(result.stderr) and why in visible(result.stderr)
    assert sent() == before


def test_empty_and_twice_read_stdin_are_refused(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = sent()
    empty = tmp_path / "zero.png"
    empty.write_bytes(b"")
    result = ask_with(str(empty))
    assert result.returncode == 2 and "zero.png is empty" in visible(result.stderr)
    result = ask_with("-", stdin=b"")
    assert result.returncode == 2 and "stdin is empty" in visible(result.stderr)
    result = ask_with("-", "-", stdin=png())
    assert result.returncode == 2 and "-a - given twice" in visible(result.stderr)
    blank = run_cli("ask", "-m", "openai/gpt-4o", "-a", "", "x", env=KEY)
    assert blank.returncode == 2 and "no file named" in blank.stderr
    assert sent() == before


def _riff(chunk: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", len(chunk) + 4) + b"WEBP" + chunk


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("sig.png", b"\x89PNG\r\n\x1a\n", "PNG"),
    ("cut.png", png()[:20], "PNG"),
    ("crc.png", png()[:29] + b"\0\0\0\0" + png()[33:], "PNG"),
    ("head.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
    ("scan.jpg", b"\xff\xd8\xff\xda\x00\x08" + b"\0" * 20, "JPEG"),
    ("vp8.webp", _riff(b"VP8 "), "WEBP"),
    ("short.gif", b"GIF89a\x01\x00", "GIF"),
])
def test_damaged_images_are_refused(sent, tmp_path: Path, name: str, data: bytes, kind: str) -> None:  # type: ignore[no-untyped-def]
    before = sent()
    path = tmp_path / name
    path.write_bytes(data)
    result = ask_with(str(path))
    assert result.returncode == 2
    assert f"{name} starts like a {kind} but its header cannot be read" in visible(result.stderr)
    assert sent() == before


def test_each_format_reads_its_size() -> None:
    from llmtui.core.image_header import image_size

    def vp8(width: int, height: int) -> bytes:
        frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
        return _riff(b"VP8 " + struct.pack("<I", len(frame)) + frame)

    def vp8l(width: int, height: int) -> bytes:
        bits = (width - 1) | ((height - 1) << 14)
        body = b"\x2f" + bits.to_bytes(4, "little")
        return _riff(b"VP8L" + struct.pack("<I", len(body)) + body)

    def vp8x(width: int, height: int) -> bytes:
        body = b"\0\0\0\0" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        return _riff(b"VP8X" + struct.pack("<I", len(body)) + body)

    jpeg = (b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xff\xc2\x00\x11\x08" + struct.pack(">HH", 480, 640) + b"\x03" + b"\0" * 9)
    assert image_size(png(640, 480)) == (640, 480)
    assert image_size(jpeg) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 32, 16) + b"\0\0\0") == (32, 16)
    assert image_size(vp8(300, 200)) == (300, 200)
    assert image_size(vp8l(300, 200)) == (300, 200)
    assert image_size(vp8x(5000, 4000)) == (5000, 4000)
    assert image_size(b"\x89PNG\r\n\x1a\n" + b"\0\0\0\x0dIHDR" + b"\0" * 13
                      + struct.pack(">I", zlib.crc32(b"IHDR" + b"\0" * 13))) is None  # 0 x 0


def test_compare_refuses_the_whole_batch_when_one_model_cannot_see(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """gpt-4o can see, gpt-3.5-turbo cannot: nothing goes to either (nor is billed)."""
    before = sent()
    shot = tmp_path / "shot.png"
    shot.write_bytes(png())
    result = run_cli("compare", "-m", "openai/gpt-4o", "-m", "openai/gpt-3.5-turbo",
                     "-a", str(shot), "what is in this picture?", env=KEY)
    assert result.returncode == 1, result.stderr
    text = visible(result.stderr.encode())
    assert "openai/gpt-3.5-turbo takes no images" in text and "models that can: openai/gpt-4o" in text
    assert "nothing was sent to any of the models" in text
    assert sent() == before


def test_o3_mini_takes_no_images(sent, tmp_path: Path, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    before = sent()
    shot = tmp_path / "red.png"
    shot.write_bytes(png())
    result = run_cli("ask", "-m", "openai/o3-mini", "-a", str(shot), "what is it?", env=KEY)
    assert result.returncode == 1 and "openai/o3-mini takes no images" in result.stderr
    assert "demo/" not in result.stderr  # real models are named, not the simulated demo
    assert sent() == before
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    assert store.conversations() == []  # refused before anything was stored
    store.close()
