"""The parameters panel: temperature, top_p, max_tokens, seed and stop for the focused lane or
every lane, applied from the next prompt on.

A blank field is "not set" (the model's `[models."REF"]` table, then [defaults], then the
provider's own value apply). A bad value says why in one line under the fields and keeps every
field as typed; Esc closes without saving. Values are checked by llmtui.core.sampling, as the
CLI flags and config.toml are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from llmtui.core.sampling import MAX_STOPS, SEED_MAX, SamplingError, as_texts, from_texts
from llmtui.present.params import ParamsChoice, ParamsTarget, params_target
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from textual.app import App

    from llmtui.core.runtime import Runtime
    from llmtui.core.session import ChatSession

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("temperature", "temperature", "0 to 2"),
    ("top_p", "top_p", "0 to 1"),
    ("max_tokens", "max_tokens", "1 or more"),
    ("seed", "seed", f"0 to {SEED_MAX}"),
    ("stop", "stop", f'up to {MAX_STOPS}, split by |  e.g.  ### | "\\n\\n"'),
)


class ParamsScreen(ShowsWorkerFailures, ModalScreen[ParamsChoice | None]):
    DEFAULT_CSS = """
    ParamsScreen { align: center middle; background: $background 60%; }
    ParamsScreen > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 100%; padding: 0 1;
        border: round $primary; background: $surface;
    }
    ParamsScreen #params-title { text-style: bold; color: $primary; width: 100%; }
    ParamsScreen RadioSet { width: 100%; height: auto; margin-top: 1; layout: horizontal; }
    ParamsScreen RadioButton { margin-right: 2; }
    ParamsScreen Grid {
        grid-size: 2; grid-columns: 13 1fr; grid-rows: 1; grid-gutter: 1 0; height: auto;
        margin: 1 0;
    }
    ParamsScreen .-hint { color: $text-muted; width: 100%; }
    ParamsScreen Input.-refused { color: $text-muted; }
    ParamsScreen #params-error { color: $error; width: 100%; height: auto; }
    ParamsScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ParamsScreen Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="params.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, target: ParamsTarget) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        target = self.target
        texts = as_texts(target.values)
        with Vertical():
            yield Label(f"Parameters — {target.title}", id="params-title", markup=False)
            if target.ref is not None:
                with RadioSet(id="params-scope", compact=True):
                    yield RadioButton("this lane only", value=target.per_lane, id="scope-lane")
                    yield RadioButton("every lane", value=not target.per_lane, id="scope-all")
            with Grid():
                for name, label, hint in FIELDS:
                    yield Label(label)
                    yield Input(texts[name], placeholder=f"default  ({hint})", id=f"param-{name}",
                                compact=True)
            for line in target.hints:
                yield Static(f"· {line}", classes="-hint", markup=False)
            yield Static("Blank: the model's [models] table, [defaults], or the provider's own.",
                         classes="-hint", markup=False)
            yield Static("", id="params-error", markup=False)
            with Horizontal():
                yield Button("Clear all", id="params-clear", compact=True)
                yield Button("Cancel", id="params-cancel", compact=True)
                yield Button("Save", id="params-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._mark_refused()
        self.query_one("#param-temperature", Input).focus()

    @on(RadioSet.Changed)
    def _mark_refused(self) -> None:
        """For one lane, what its provider has no field for says so (it would not be sent)."""
        lane = self._scope_ref() is not None or self.target.ref is None  # blind: nothing refused
        for name, _, hint in FIELDS:
            field = self.query_one(f"#param-{name}", Input)
            refused = lane and name in self.target.refused
            field.placeholder = "this provider takes none (not sent)" if refused else f"default  ({hint})"
            field.set_class(refused, "-refused")

    def _texts(self) -> dict[str, str]:
        return {name: self.query_one(f"#param-{name}", Input).value for name, _, _ in FIELDS}

    def _scope_ref(self) -> str | None:
        if self.target.ref is None:
            return None
        return self.target.ref if self.query_one("#scope-lane", RadioButton).value else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#params-save")
    def save(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        try:
            sampling = from_texts(self._texts())
        except SamplingError as exc:
            # One line; every field keeps what was typed, and the bad one gets the focus.
            self.query_one("#params-error", Static).update(f"⚠ {exc}")
            name = next((n for n, _, _ in FIELDS if str(exc).startswith(f"{n} ")), "stop")
            self.query_one(f"#param-{name}", Input).focus()
            return
        self.dismiss(ParamsChoice(sampling, self._scope_ref()))

    @on(Button.Pressed, "#params-clear")
    def clear(self, event: Button.Pressed) -> None:
        event.stop()
        for name, _, _ in FIELDS:
            self.query_one(f"#param-{name}", Input).value = ""
        self.query_one("#params-error", Static).update("")

    @on(Button.Pressed, "#params-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


async def pick_params(app: App[object], runtime: Runtime, session: ChatSession,
                        lane: int) -> ParamsChoice | None:
    """Open the panel on `lane` (a worker's call: it waits for the answer); what was saved is
    the session's from the next send on, and a notification says so."""
    choice = await app.push_screen_wait(ParamsScreen(params_target(runtime, session, lane)))
    if choice is None:
        return None
    session.set_sampling(choice.sampling, choice.ref)
    whose = choice.ref or ("both lanes" if session.blind else "every lane")
    app.notify(f"Parameters for {whose} from the next prompt: "
               f"{choice.sampling.compact() or 'the defaults'}", markup=False)
    return choice
