"""Two small modals the keys and history screens share: a one-line input and a yes/no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from llmtui.screens.worker_failures import ShowsWorkerFailures


class TextInputModal(ShowsWorkerFailures, ModalScreen[str | None]):
    """Ask for one line of text; dismisses with it, or None on escape.

    With `password=True` the Input shows bullets, so a pasted key never appears on screen.
    """

    DEFAULT_CSS = """
    TextInputModal { align: center middle; background: $background 60%; }
    TextInputModal > Vertical {
        width: 72; height: auto; padding: 1 2; border: round $primary; background: $surface;
    }
    TextInputModal Label { width: 100%; }
    TextInputModal .-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="modal.cancel", tooltip="Close without saving")]

    def __init__(self, title: str, *, value: str = "", placeholder: str = "", hint: str = "",
                 password: bool = False) -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._hint = hint
        self._password = password

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, markup=False)
            yield Input(self._value, placeholder=self._placeholder, password=self._password,
                        id="modal-input")
            if self._hint:
                yield Label(self._hint, classes="-hint", markup=False)

    @on(Input.Submitted, "#modal-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(ShowsWorkerFailures, ModalScreen[bool]):
    """A yes/no question; y confirms, n or escape declines, Enter presses the focused button
    (Cancel, until the user tabs to the other)."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; background: $background 60%; }
    ConfirmModal > Vertical {
        width: 64; height: auto; padding: 1 2; border: round $error; background: $surface;
    }
    ConfirmModal Label { width: 100%; }
    ConfirmModal Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="modal.yes", tooltip="Confirm"),
        Binding("n,escape", "answer(False)", "No", id="modal.no", tooltip="Cancel"),
    ]

    def __init__(self, question: str, *, confirm_label: str = "Delete") -> None:
        super().__init__()
        self._question = question
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, markup=False)
            with Horizontal():
                yield Button("Cancel", id="modal-no")
                yield Button(self._confirm_label, variant="error", id="modal-yes")

    def on_mount(self) -> None:
        # Cancel has the focus: a stray Enter after `d` must not destroy anything.
        self.query_one("#modal-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "modal-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
