"""`-a FILE` for ask and compare: files attached to the prompt (images, text files)."""

from __future__ import annotations

import argparse
import sys

from llmtui.cli.common import fail
from llmtui.core.attachments import MAX_BYTES, AttachmentError, from_bytes, load
from llmtui.providers.parts import Part


def add_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("-a", "--attach", action="append", dest="attach", metavar="FILE", default=[],
                   help="attach a file: an image (PNG, JPEG, GIF, WebP) or a text file; "
                        "repeat for more; - reads it from stdin (then give the prompt as an argument)")


def read_attachments(args: argparse.Namespace) -> tuple[Part, ...]:
    """The attached files, or a one-line failure naming the file."""
    parts: list[Part] = []
    if args.attach.count("-") > 1:  # the second would read an empty, spent stdin
        raise fail("-a - given twice: stdin holds one file")
    for path in args.attach:
        try:
            parts.append(_stdin() if path == "-" else load(path))
        except AttachmentError as exc:
            raise fail(str(exc)) from None
    return tuple(parts)


def _stdin() -> Part:
    if sys.stdin.isatty():
        raise AttachmentError("-a -: nothing is piped in")
    raw = getattr(sys.stdin, "buffer", None)
    data = raw.read(MAX_BYTES + 1) if raw is not None else sys.stdin.read().encode()
    part = from_bytes(data, "stdin")
    return part


def uses_stdin(args: argparse.Namespace) -> bool:
    return "-" in args.attach
