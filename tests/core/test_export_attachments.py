"""Markdown export of a conversation with attachments: files beside it by default, data URLs
with --embed-images; the JSON side is untouched."""

from __future__ import annotations

import base64
from pathlib import Path

from llmtui.core.attachment_store import save_parts
from llmtui.core.store import Store
from llmtui.providers.parts import ImagePart, TextFilePart
from tests.cli.test_attach import png
from tests.conftest import run_cli


def _conversation(isolated_env: Path) -> tuple[int, bytes]:
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    image = png(8, 8)
    conv = store.new_conversation(["demo/simulated"])
    prompt = store.add_message(conv, "user", "what is in this picture?", model="demo/simulated")
    save_parts(store, prompt, [ImagePart(image, "image/png", "shot.png"), TextFilePart("n.md", "# hi")])
    store.add_message(conv, "assistant", "A grey square.", model="demo/simulated", parent_id=prompt)
    store.close()
    return conv, image


def test_default_writes_files_beside(isolated_env: Path, tmp_path: Path) -> None:
    conv, image = _conversation(isolated_env)
    out = tmp_path / "out" / "talk.md"
    out.parent.mkdir()
    result = run_cli("export", str(conv), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    files = sorted((tmp_path / "out" / "talk_files").iterdir())
    assert [f.read_bytes() for f in files if f.name.endswith("shot.png")] == [image]
    shot = next(f for f in files if f.name.endswith("shot.png"))
    assert "![shot.png (" in text and f"](talk_files/{shot.name})" in text
    assert "base64" not in text


def test_embed_images_makes_data_urls(isolated_env: Path, tmp_path: Path) -> None:
    conv, image = _conversation(isolated_env)
    out = tmp_path / "talk.md"
    result = run_cli("export", str(conv), "-o", str(out), "--embed-images")
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert f"(data:image/png;base64,{base64.b64encode(image).decode()})" in text
    assert "```\n# hi\n```" in text
    assert not (tmp_path / "talk_files").exists()
