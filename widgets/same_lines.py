"""Containers that repaint at the cost of one line, not one per line.

While an answer streams, the containers around its text grow every frame, and Textual marks
every line of a resized widget dirty: each visible line of each of them went through the
styles cache again (border, padding, background, the colour filter) into a new Strip, ~100 µs
a line, for containers that draw nothing but a background and a left border. With two lanes
that was ~300 lines a frame, a third of a frame's paint.

`BlankLines` is Textual's `BLANK` flag: one blank strip for every line (for containers with
no border, outline or padding of another colour). `SameLines` renders one line through the
styles cache and repeats it, for containers whose lines are all alike (side borders only, no
vertical padding, no content of their own); one Strip object repeated also lets the compositor
reuse the cuts it divided it at.
"""

from __future__ import annotations

from typing import ClassVar

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class BlankLines:
    """Mix in before a container class: its lines are plain background."""

    BLANK: ClassVar[bool] = True


class SameLines(Widget):
    """Mix in before a container class whose every line is the same."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if crop.height <= 1:
            return super().render_lines(crop)
        return super().render_lines(Region(crop.x, crop.y, crop.width, 1)) * crop.height
