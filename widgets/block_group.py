"""A streaming answer's committed Markdown blocks, held in groups of GROUP_BLOCKS.

A few times a second a stream commits its finished text as one new Markdown block. In one flat
container each commit re-arranged every block committed before it, twice (a new box model for
each: their container's size had changed): ~130 box models a commit at 32 blocks, a cost that
grew with the answer. In groups, a commit arranges its own group (at most GROUP_BLOCKS blocks)
and the groups beside it, whose arrangements Textual keeps cached.

Cached only if asked the same question: Textual measures a container whose children all have
`height: auto` by arranging it at its own container's height, which for a group is the answer
body's, which grows with every commit, so a closed group was never found in the cache.
`StackedBlocks` measures at height 0 instead: blocks of `height: auto` do not depend on it.
The finished answer is rendered whole into one block (message_view.py), ungrouped.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

from llmtui.widgets.settled_size import SettledVertical

GROUP_BLOCKS = 8


class StackedBlocks(SettledVertical):
    """A column of `height: auto` blocks, measured the same way whatever holds it."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width or not self._nodes:
            return 0
        return self.arrange(Size(width, 0)).total_region.height


class BlockGroup(StackedBlocks):
    DEFAULT_CSS = """
    BlockGroup {
        height: auto;
    }
    BlockGroup > .-after {
        margin: 1 0 0 0;
    }
    """


async def mount_grouped(body: Widget, block: Widget) -> None:
    """Mount `block` at the end of `body`, in its last group while that has room."""
    # A blank line between blocks, set here: a `:last-child` rule would make Textual re-style
    # every sibling on each mount, as order-dependent styles must be re-checked.
    block.set_class(bool(body.children), "-after")
    group = body.children[-1] if body.children else None
    if not isinstance(group, BlockGroup) or len(group.children) >= GROUP_BLOCKS:
        group = BlockGroup()
        await body.mount(group)
    await group.mount(block)
