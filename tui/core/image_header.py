"""An image's width and height from its header: PNG, JPEG, GIF, WebP.

Magic bytes say what a file claims to be; this reads enough of its structure to say it
really is one (a PNG's IHDR chunk and its CRC, a JPEG's frame header, a GIF's screen
descriptor, a WebP's VP8/VP8L/VP8X header). An attachment whose size cannot be read here
is refused (attachments.py); the size is what the image-token formulas need
(image_tokens.py), so the estimate for any attached image is its own, never a guess.
"""

from __future__ import annotations

import struct
import zlib

_PNG = b"\x89PNG\r\n\x1a\n"
_MAX_SIDE = 2**31 - 1  # PNG's own bound; larger is a damaged header, not an image
# JPEG start-of-frame markers (C4 DHT, C8 JPG, CC DAC are not frames).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
# Markers that stand alone (no length follows): TEM and RST0-7.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height, both at least 1; None when the header is not there or not whole."""
    if data.startswith(_PNG):
        size = _png(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        size = _gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        size = _webp(data)
    elif data.startswith(b"\xff\xd8\xff"):
        size = _jpeg(data)
    else:
        return None
    if size is None or not (0 < size[0] <= _MAX_SIDE and 0 < size[1] <= _MAX_SIDE):
        return None
    return size


def _png(data: bytes) -> tuple[int, int] | None:
    """The first chunk must be a whole IHDR: 13 bytes of data and a matching CRC."""
    if len(data) < 33 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
        return None
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(b"IHDR" + body) != crc:
        return None
    width, height = struct.unpack(">II", body[:8])
    return int(width), int(height)


def _gif(data: bytes) -> tuple[int, int] | None:
    """The logical screen descriptor: 7 bytes after the 6-byte signature."""
    if len(data) < 13:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return int(width), int(height)


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])  # after the frame tag and start code
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    """Walk the segments after SOI to the first frame header (SOFn): its height and width."""
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            return None
        while i < len(data) and data[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= len(data):
            return None
        marker = data[i]
        i += 1
        if marker in _STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame
            return None
        if i + 2 > len(data):
            return None
        length = int.from_bytes(data[i:i + 2], "big")
        if length < 2 or i + length > len(data):
            return None
        if marker in _SOF:
            if length < 8:
                return None
            height, width = struct.unpack(">HH", data[i + 3:i + 7])
            return int(width), int(height)
        i += length
    return None
