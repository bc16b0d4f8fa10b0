"""An imported answer's status: one exported while another llmtui still streamed it (stored
'streaming', tester longans item 4) comes in interrupted: the copy never grows."""

from __future__ import annotations

from llmtui.core.transfer import clean_message


def test_an_answer_exported_while_it_streamed_is_imported_interrupted() -> None:
    def status(given: object) -> str:
        out = clean_message({"role": "assistant", "content": "so far", "status": given}, 1.0)
        assert out is not None
        return str(out["status"])

    assert status("streaming") == "interrupted"  # 'done' before: as if it were complete
    assert [status(s) for s in ("done", "interrupted", "error")] == ["done", "interrupted", "error"]
    assert status("bogus") == "done"
