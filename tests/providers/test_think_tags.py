"""The inline `<think>` splitter: the same result however the stream was cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmtui.providers.base import ReasoningDelta, TextDelta
from llmtui.providers.think_tags import ThinkSplitter

# Text that may itself contain tag-like pieces, whitespace and non-ASCII.
PIECE = st.text(alphabet=st.sampled_from(list("ab <>/thinkougé\n«")), max_size=30)


def run(chunks: list[str], *, starts_inside: bool = False) -> tuple[str, str]:
    splitter = ThinkSplitter(starts_inside=starts_inside)
    events = [e for c in chunks for e in splitter.feed(c)] + splitter.finish()
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert all(e.text for e in events), "no empty events"
    return reasoning, answer


def cut(text: str, points: list[int]) -> list[str]:
    marks = sorted({p % (len(text) + 1) for p in points} | {0, len(text)})
    return [text[a:b] for a, b in zip(marks, marks[1:], strict=False)]


@given(thought=PIECE.filter(lambda t: "</think>" not in t), answer=PIECE,
       lead=st.sampled_from(["", "\n", "  \n"]), points=st.lists(st.integers(0, 200), max_size=12))
def test_a_leading_think_block_is_reasoning_under_every_split(
    thought: str, answer: str, lead: str, points: list[int]
) -> None:
    text = f"{lead}<think>{thought}</think>\n\n{answer}"
    assert run(cut(text, points)) == (thought, answer.lstrip())


@given(body=PIECE, points=st.lists(st.integers(0, 200), max_size=12))
def test_any_split_gives_the_same_result_as_one_piece(body: str, points: list[int]) -> None:
    for text in (body, "<think>" + body, "<thought>" + body):
        assert run(cut(text, points)) == run([text])


@given(answer=PIECE.filter(lambda t: t.strip() != "" and not t.lstrip().startswith("<")), points=st.lists(st.integers(0, 200), max_size=8))
def test_text_without_a_leading_tag_passes_through_untouched(answer: str, points: list[int]) -> None:
    assert run(cut(answer + "<think>x</think>", points)) == ("", answer + "<think>x</think>")


def test_gemini_thought_summaries_and_an_unterminated_thought() -> None:
    assert run(["<thou", "ght>plan</thou", "ght>Answer"]) == ("plan", "Answer")
    # Cut off by max_tokens while thinking: everything was reasoning, nothing is lost.
    assert run(["<think>half a thou", "ght </thi"]) == ("half a thought </thi", "")


def test_a_tag_prefix_that_turns_out_not_to_be_a_tag_is_answer_text() -> None:
    assert run(["<th", "ese are words"]) == ("", "<these are words")
    assert run(["<t"]) == ("", "<t")


# ---------------------------------------------------------------- a stream that starts inside a thought

# Thinking text as a template-opened thought streams it: no opening tag of its own.
THOUGHT = PIECE.filter(lambda t: "</think>" not in t and not t.lstrip().startswith("<"))


@given(thought=THOUGHT, answer=PIECE, lead=st.sampled_from(["", "\n", "  \n"]),
       gap=st.sampled_from(["", "\n\n", " "]), points=st.lists(st.integers(0, 200), max_size=12))
def test_a_bare_closing_tag_ends_a_thought_the_template_opened(
    thought: str, answer: str, lead: str, gap: str, points: list[int]
) -> None:
    text = f"{lead}{thought}</think>{gap}{answer}"
    assert run(cut(text, points), starts_inside=True) == (thought.lstrip(), answer.lstrip())


@given(body=PIECE, points=st.lists(st.integers(0, 200), max_size=12))
def test_starting_inside_gives_the_same_result_under_every_split(body: str, points: list[int]) -> None:
    for text in (body, body + "</think>ok", "<think>" + body, "</think>" + body):
        assert run(cut(text, points), starts_inside=True) == run([text], starts_inside=True)


@given(thought=PIECE.filter(lambda t: "</think>" not in t), answer=PIECE,
       points=st.lists(st.integers(0, 200), max_size=12))
def test_an_explicit_think_tag_reads_the_same_either_way(thought: str, answer: str, points: list[int]) -> None:
    text = f"<think>{thought}</think>{answer}"
    assert run(cut(text, points), starts_inside=True) == run(cut(text, points))


@given(answer=PIECE.filter(lambda t: t.strip() != "" and not t.lstrip().startswith("<")),
       points=st.lists(st.integers(0, 200), max_size=8))
def test_an_answer_that_mentions_a_closing_tag_is_all_answer_by_default(answer: str, points: list[int]) -> None:
    prose = f"{answer} Models end their thoughts with </think> and then answer."
    assert run(cut(prose, points)) == ("", prose)


def test_only_the_first_closing_tag_ends_the_thought() -> None:
    text = "plan</think>The tag `</think>` closes a thought."
    assert run([text], starts_inside=True) == ("plan", "The tag `</think>` closes a thought.")


def test_an_unclosed_template_thought_is_all_reasoning() -> None:
    # Cut off by max_tokens before </think>: what arrived was thinking (vLLM's rule).
    assert run(["still wei", "ghing it </th"], starts_inside=True) == ("still weighing it </th", "")


def test_a_server_that_parses_the_thought_itself_leaves_the_content_as_answer() -> None:
    splitter = ThinkSplitter(starts_inside=True)
    splitter.server_splits()  # reasoning_content arrived first
    events = splitter.feed("The answer; a </think> in prose.") + splitter.finish()
    assert events == [TextDelta("The answer; a </think> in prose.")]
