"""Split inline `<think>…</think>` at the start of an answer into reasoning and answer.

Many open models (DeepSeek-R1 and Qwen3 served without a reasoning parser, gpt-oss via some
routers, local GGUFs) write their thinking into `content`, wrapped in `<think>` tags; Gemini's
OpenAI-compatible endpoint wraps thought summaries in `<thought>`. Tags arrive split across
chunks in any place (`<thi` + `nk>`), so this is a small state machine that holds back only
the few characters that might still become a tag, and gives the same result however the
text was cut. Only a tag at the very start (after whitespace) opens reasoning: a `<think>`
in the middle of an answer is the answer's text.

Some servers open the thought in the prompt (the chat template of DeepSeek-R1, QwQ and the
Qwen3 Thinking models ends with `<think>`), so the stream starts INSIDE it: thinking text, a bare
`</think>`, then the answer. `starts_inside=True` reads that, as vLLM's deepseek_r1 parser and
llama.cpp's `thinking_forced_open` do: only from the very start of the stream (an explicit
`<think>` there still works), only for a model known or configured to think that way
(reasoning.starts_in_thought), and never once a server sends its reasoning in a field of its own.
Without it, a `</think>` in an answer's prose is just text.
"""

from __future__ import annotations

from enum import Enum

from llmtui.providers.base import ReasoningDelta, TextDelta

# opening tag -> closing tag
TAGS: dict[str, str] = {"<think>": "</think>", "<thought>": "</thought>"}


class _State(Enum):
    START = "start"  # nothing but whitespace seen: may still open a tag
    THINKING = "thinking"  # inside the tag: reasoning until the closing tag
    ANSWER_START = "answer start"  # just closed: whitespace between thought and answer is dropped
    ANSWER = "answer"  # plain pass-through


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a proper start of `tag`."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-n:]):
            return n
    return 0


class ThinkSplitter:
    """Feed content pieces in order; get reasoning and answer events back."""

    def __init__(self, *, starts_inside: bool = False) -> None:
        self._state = _State.START
        self._held = ""
        self._close = ""
        self._inside = starts_inside

    def server_splits(self) -> None:
        """The server sent reasoning in its own field: the text is the answer's, whatever the
        model's template does (said before any text; later it changes nothing)."""
        if self._state is _State.START and not self._held:
            self._inside = False

    @property
    def answering(self) -> bool:
        """The thought (if any) is over: what follows is answer."""
        return self._state in (_State.ANSWER_START, _State.ANSWER)

    def feed(self, text: str) -> list[TextDelta | ReasoningDelta]:
        if self._state is _State.ANSWER:
            return [TextDelta(text)] if text else []
        out: list[TextDelta | ReasoningDelta] = []
        self._held += text
        while self._held:
            before = (self._state, self._held)
            if self._state is _State.START:
                self._start()
            elif self._state is _State.THINKING:
                self._think(out)
            elif self._state is _State.ANSWER_START:
                stripped = self._held.lstrip()
                self._held = stripped
                if stripped:
                    self._state = _State.ANSWER
            if self._state is _State.ANSWER:
                if self._held:
                    out.append(TextDelta(self._held))
                self._held = ""
            if (self._state, self._held) == before:
                break  # waiting for more text to decide
        return out

    def _start(self) -> None:
        head = self._held.lstrip()
        if not head:
            return
        for open_tag, close_tag in TAGS.items():
            if head.startswith(open_tag):
                self._state, self._close = _State.THINKING, close_tag
                self._held = head[len(open_tag):]
                return
            if open_tag.startswith(head):
                return  # `<thi`: wait for the rest
        if self._inside:  # the template opened the thought: this is its text
            self._state, self._close, self._held = _State.THINKING, TAGS["<think>"], head
            return
        self._state = _State.ANSWER

    def _think(self, out: list[TextDelta | ReasoningDelta]) -> None:
        at = self._held.find(self._close)
        if at >= 0:
            if at:
                out.append(ReasoningDelta(self._held[:at]))
            self._held = self._held[at + len(self._close):]
            self._state = _State.ANSWER_START
            return
        keep = _partial_suffix(self._held, self._close)
        ready = self._held[: len(self._held) - keep]
        if ready:
            out.append(ReasoningDelta(ready))
            self._held = self._held[len(ready):]

    def finish(self) -> list[TextDelta | ReasoningDelta]:
        """The stream ended: whatever was held back is what it looked like."""
        held, self._held = self._held, ""
        if not held:
            return []
        if self._state is _State.THINKING:
            return [ReasoningDelta(held)]  # cut off mid-thought (max_tokens): it was reasoning
        if self._state is _State.ANSWER_START:
            return []
        return [TextDelta(held)]
