"""Markdown export of a conversation with attachments: files beside it by default, data URLs
with --embed-images; the JSON side is untouched."""

from __future__ import annotations

import base64
from pathlib import Path

from llmtui.core.store import Store
from llmtui.providers.parts import ImagePart, TextFilePart
from tests.cli.test_attach import png
from tests.conftest import run_cli


def _conversation(isolated_env: Path) -> tuple[int, bytes]:
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    image = png(8, 8)
    conv = store.new_conversation(["demo/simulated"])
    prompt = store.add_message(conv, "user", "what is in this picture?", model="demo/simulated")
    store.save_parts(prompt, [ImagePart(image, "image/png", "shot.png"), TextFilePart("n.md", "# hi")])
    store.add_message(conv, "assistant", "A grey square.", model="demo/simulated", parent_id=prompt)
    store.close()
    return conv, image


def _sha_of(isolated_env: Path) -> str:
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    sha = str(store._rows("SELECT sha256 FROM attachments WHERE kind = 'image'")[0][0])
    store.close()
    return sha


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


def test_symlinks_are_refused_never_followed(isolated_env: Path, tmp_path: Path) -> None:
    """A symlink planted where a file of the export goes (the attachment, the _files folder,
    the .md itself) is refused with one line; its target is untouched."""
    conv, _ = _conversation(isolated_env)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "a" / "talk.md"
    (tmp_path / "a" / "talk_files").mkdir(parents=True)
    sha = _sha_of(isolated_env)
    (tmp_path / "a" / "talk_files" / f"{sha[:12]}-shot.png").symlink_to(victim)
    result = run_cli("export", str(conv), "-o", str(out))
    assert result.returncode == 1 and "symlink" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text() == "precious"
    result = run_cli("export", str(conv), "-o", str(out), "--force")  # not even with --force
    assert result.returncode == 1 and "symlink" in result.stderr and victim.read_text() == "precious"

    (tmp_path / "b").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "b" / "talk_files").symlink_to(tmp_path / "elsewhere")
    result = run_cli("export", str(conv), "-o", str(tmp_path / "b" / "talk.md"))
    assert result.returncode == 1 and "symlink" in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "talk.md").symlink_to(victim)
    for force in ((), ("--force",)):
        result = run_cli("export", str(conv), "-o", str(tmp_path / "c" / "talk.md"), *force)
        assert result.returncode == 1 and "symlink" in result.stderr
    assert victim.read_text() == "precious" and not (tmp_path / "c" / "talk_files").exists()


def test_an_existing_export_is_kept_without_force(isolated_env: Path, tmp_path: Path) -> None:
    conv, image = _conversation(isolated_env)
    out = tmp_path / "talk.json"
    out.write_text("mine")
    result = run_cli("export", str(conv), "-o", str(out))
    assert result.returncode == 1 and "exists; --force replaces it" in result.stderr
    assert out.read_text() == "mine"
    md = tmp_path / "talk.md"
    assert run_cli("export", str(conv), "-o", str(md)).returncode == 0
    again = run_cli("export", str(conv), "-o", str(md))
    assert again.returncode == 1 and "exists" in again.stderr
    forced = run_cli("export", str(conv), "-o", str(md), "--force")
    assert forced.returncode == 0, forced.stderr
    assert run_cli("export", str(conv), "-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("{")


def test_exported_names_end_as_their_content_says(isolated_env: Path, tmp_path: Path) -> None:
    store = Store(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    conv = store.new_conversation(["demo/simulated"])
    prompt = store.add_message(conv, "user", "names", model="demo/simulated")
    long = "x" * 80 + ".png"
    store.save_parts(prompt, [ImagePart(png(2, 2), "image/png", "stdin"),
                               ImagePart(png(3, 3), "image/png", "looks.txt"),
                               ImagePart(png(4, 4), "image/png", long),
                               TextFilePart("notes.png", "words"), TextFilePart("stdin", "more")])
    store.close()
    out = tmp_path / "n.md"
    assert run_cli("export", str(conv), "-o", str(out)).returncode == 0
    names = sorted(f.name.split("-", 1)[1] for f in (tmp_path / "n_files").iterdir())
    assert names == sorted(["stdin.png", "looks.txt.png", "x" * 56 + ".png", "notes.png.txt",
                            "stdin.txt"])
