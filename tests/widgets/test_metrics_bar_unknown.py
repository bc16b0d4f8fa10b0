"""The metrics line marks a figure still coming with … and one that never came with – (issue 18)."""

from __future__ import annotations

from llmtui.widgets.metrics_bar import Metrics, render_metrics


def test_a_finished_answer_without_a_rate_shows_a_dash_not_an_ellipsis() -> None:
    streaming = render_metrics(Metrics(model="demo/x", output_tokens=1, ttft_s=0.4)).plain
    done = render_metrics(Metrics(model="demo/x", output_tokens=1, ttft_s=0.4, state="done")).plain
    assert streaming.endswith("TTFT 0.40s · … tok/s")
    assert "TTFT 0.40s · – tok/s" in done and "…" not in done
    failed = render_metrics(Metrics(model="demo/x", state="error")).plain
    assert "TTFT – · – tok/s" in failed
