"""What a message carries besides its text: images and text files.

An image is its bytes and a media type found from its magic bytes (never the file name);
a text file is its decoded content and its name. Each adapter encodes parts in its own
documented format; this module holds what they share: sniffing, data URLs, the text form
of a file, and the per-family image size limits, checked before anything is sent.

Size limits (checked per image, the limit named in the error):
- Anthropic: 5 MB of base64 per image (the API measures the encoded string), 100 images
  per request.
- Bedrock Converse: 3.75 MB per image (raw bytes), 20 images per request.
- OpenAI-compatible: 20 MB per image (OpenAI's vision guide).
- Cohere v2: 20 MB per request, images together.
- Replicate: one image per prediction, 1 MB (a data URL in the `image` input; Replicate
  recommends data URIs only below 1 MB).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass

MB = 1024 * 1024

# Magic bytes -> media type. WebP is RIFF....WEBP (checked below).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

_CLOSE = re.compile(r"</file", re.IGNORECASE)

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def sniff_image(data: bytes) -> str | None:
    """The media type of PNG, JPEG, GIF or WebP bytes; None for anything else."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image: its bytes, its media type (one of IMAGE_TYPES), the name it came with."""

    data: bytes
    media_type: str
    name: str = "image"

    @property
    def format(self) -> str:
        """`png`, `jpeg`, `gif`, `webp` (Bedrock's `format`)."""
        return self.media_type.split("/", 1)[1]

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{self.base64()}"


@dataclass(frozen=True, slots=True)
class TextFilePart:
    """A text file: its content, sent as text headed by its name."""

    name: str
    text: str

    def as_text(self) -> str:
        """The file between `<file name="…">` and `</file>`: the name escaped as an XML
        attribute, and a `</file` inside the content escaped, so a file cannot end its own
        wrapper and forge another (`</file><file name="system">`)."""
        import html  # here: its entity table is not worth loading before the first frame

        name = html.escape(self.name, quote=True)
        body = _CLOSE.sub("&lt;/file", self.text)
        return f'<file name="{name}">\n{body}\n</file>'


Part = ImagePart | TextFilePart


def images(parts: Iterable[Part]) -> list[ImagePart]:
    return [p for p in parts if isinstance(p, ImagePart)]


def text_with_files(text: str, parts: Iterable[Part]) -> str:
    """The message text followed by each text file, for providers that take one string."""
    files = [p.as_text() for p in parts if isinstance(p, TextFilePart)]
    return "\n\n".join([text, *files]) if files else text


@dataclass(frozen=True, slots=True)
class ImageLimit:
    """How large images may be for one provider family."""

    label: str
    per_image: int
    measure_base64: bool = False
    per_request: int | None = None
    max_images: int | None = None

    def problem(self, parts: Iterable[ImagePart]) -> str | None:
        """Why these images cannot be sent, naming the limit; None when they fit."""
        parts = list(parts)
        if self.max_images is not None and len(parts) > self.max_images:
            return f"{len(parts)} images; {self.label} takes at most {self.max_images} per request"
        total = 0
        for part in parts:
            size = len(part.base64()) if self.measure_base64 else len(part.data)
            total += size
            if size > self.per_image:
                what = "base64-encoded" if self.measure_base64 else "in size"
                return (f"{part.name} is {human_size(size)} {what}; {self.label} takes at most "
                        f"{human_size(self.per_image)} per image")
        if self.per_request is not None and total > self.per_request:
            return (f"the images come to {human_size(total)}; {self.label} takes at most "
                    f"{human_size(self.per_request)} of images per request")
        return None


# Keyed by provider kind (ProviderSpec.kind).
IMAGE_LIMITS: dict[str, ImageLimit] = {
    "anthropic": ImageLimit("Anthropic", 5 * MB, measure_base64=True, max_images=100),
    "bedrock": ImageLimit("Bedrock Converse", int(3.75 * MB), max_images=20),
    "openai": ImageLimit("the OpenAI-compatible API", 20 * MB),
    "cohere": ImageLimit("Cohere", 20 * MB, per_request=20 * MB),
    "replicate": ImageLimit("Replicate (a data URL input)", MB),
}


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.2f} MB"
