"""A worker that fails says so on screen, whichever screen (or the app itself) started it.

Textual posts `Worker.StateChanged` only to the node that started the worker (the message does
not bubble), and a worker started with `exit_on_error=False` that raises is otherwise silent.
Every Screen here, and each App, mixes in `ShowsWorkerFailures`: one handler for all of them.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class ShowsWorkerFailures:
    """Mix into a Screen or App (before the Textual base): a failed worker is a red notice."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        what = worker.group if worker.group != "default" else worker.name
        worker.node.app.notify(f"{what} failed: {worker.error}", severity="error", markup=False)
