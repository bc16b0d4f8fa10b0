"""Attachments in core: reading files, `@path`, image token formulas, the budget's worst case,
capabilities from the table and from a model list."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmtui.core.attachments import AttachmentError, from_bytes, load
from llmtui.core.budget import prompt_tokens
from llmtui.core.catalog.capabilities import capabilities
from llmtui.core.image_tokens import anthropic_tokens, image_size, image_tokens, openai_tokens
from llmtui.core.mentions import lone_path, mentions
from llmtui.providers.base import ChatMessage, ChatRequest
from llmtui.providers.parts import ImagePart, TextFilePart
from tests.cli.test_attach import png


def test_image_size_from_headers() -> None:
    assert image_size(png(640, 480)) == (640, 480)
    assert image_size(b"GIF89a\x20\x00\x10\x00\x00\x00\x00") == (32, 16)  # the whole screen descriptor
    assert image_size(b"not an image") is None


def test_documented_formulas() -> None:
    assert openai_tokens(512, 512) == 85 + 170  # one tile
    assert openai_tokens(1024, 1024) == 85 + 170 * 4  # 768x768 after scaling: 2x2 tiles
    assert openai_tokens(4096, 8192) == 85 + 170 * 6  # 768x1536: 2x3 tiles
    assert openai_tokens(8192, 3072) == 85 + 170 * 8  # 2048x768: the high-detail maximum
    assert anthropic_tokens(1000, 1000) == 1334  # (1000*1000)/750
    assert anthropic_tokens(8000, 8000) <= 1600  # downscaled first
    image = ImagePart(png(1000, 1000), "image/png")
    assert image_tokens("anthropic", "claude-sonnet-4-5", image) == 1334
    assert image_tokens("cohere", "command-a-vision", image) == max(1334, openai_tokens(1000, 1000))


def test_budget_worst_case_counts_images() -> None:
    text_only = ChatRequest("m", (ChatMessage("user", "hi"),))
    with_image = ChatRequest("m", (ChatMessage("user", "hi", (ImagePart(png(1000, 1000), "image/png"),)),))
    assert prompt_tokens(with_image) - prompt_tokens(text_only) >= 1334


def test_files_by_content_not_name(tmp_path: Path) -> None:
    fake = tmp_path / "photo.png"
    fake.write_text("plain words")
    part = load(fake)
    assert isinstance(part, TextFilePart) and part.text == "plain words"
    real = tmp_path / "notes.txt"
    real.write_bytes(png())
    assert isinstance(load(real), ImagePart)
    with pytest.raises(AttachmentError, match="not an image"):
        from_bytes(b"\xff\xfe\0\0", "x.bin")


def test_at_paths_name_files_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    (tmp_path / "my shot.png").write_bytes(png())
    (tmp_path / ".env").write_text("SECRET=1")
    (tmp_path / "sub").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("x")
    found = mentions(f'look at @a.png, @"my shot.png" and @someone; @.env @sub @{outside}', tmp_path)
    assert [(m.word, m.path.name, m.problem is None) for m in found] == [
        ("@a.png,", "a.png", True), ('@"my shot.png"', "my shot.png", True),
        ("@.env", ".env", False), ("@sub", "sub", False), (f"@{outside}", outside.name, False)]
    assert "hidden" in (found[2].problem or "") and "not a file" in (found[3].problem or "")
    assert "outside this folder" in (found[4].problem or "")


def test_a_lone_path(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    assert lone_path(f"'{tmp_path}/a.png'", tmp_path) == tmp_path / "a.png"
    assert lone_path(f"file://{tmp_path}/a.png", tmp_path) == tmp_path / "a.png"
    missing = lone_path(f"{tmp_path}/nope.png", tmp_path)
    assert isinstance(missing, AttachmentError) and "no such file; nothing sent" in str(missing)
    assert lone_path("hello", tmp_path) is None
    assert lone_path("/imagine a cat", tmp_path) is None  # words, not a path


def test_capabilities_list_wins_over_table() -> None:
    assert capabilities("openai", "openai", "gpt-4o").vision is True
    assert capabilities("openai", "openai", "gpt-3.5-turbo").vision is False
    assert capabilities("groq", "openai", "some-new-model").vision is None
    listed = capabilities("openrouter", "openai", "x/y", modalities=("text", "image"),
                          parameters=("tools", "reasoning"))
    assert (listed.vision, listed.reasoning, listed.tools) == (True, True, True)
    assert capabilities("openrouter", "openai", "x/z", modalities=("text",)).vision is False
