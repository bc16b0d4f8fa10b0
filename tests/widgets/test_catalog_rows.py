"""Catalog rows: one price format ($ per 1M tokens), the figures in aligned columns at the
right edge, every row one line whatever the pane's width (the walkthrough: names broke
mid-word, prices wrapped onto their own line, `$0.6900/$2.47` beside `$3.00/$15.00`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from llmtui.present.catalog_rows import per_million
from llmtui.widgets.model_catalog import MIN_NAME, CatalogRow, ModelCatalog, entry_prompt, price_text

ROWS = [
    CatalogRow("p/meta-llama/Llama-3.3-70B-Instruct-Turbo", "p", "P", "meta-llama/Llama-3.3-70B-Instruct-Turbo",
               "$0.88", "$0.88", 131072, badges="tools"),
    CatalogRow("p/tiny", "p", "P", "tiny", "$0.047", "$0.18", 8192),
    CatalogRow("p/big", "p", "P", "big", "$15.00", "$120.00", 1_000_000, badges="img think"),
    CatalogRow("p/free", "p", "P", "free", "$0", "$0", None),
    CatalogRow("q/nokey", "q", "Q", "nokey-model", has_key=False),
]


@pytest.mark.parametrize(("value", "shown"), [
    ("0.69", "$0.69"), ("2.47", "$2.47"), ("3", "$3.00"), ("15", "$15.00"), ("0.1", "$0.10"),
    ("0.0470", "$0.047"), ("0.183", "$0.18"), ("0.0001", "$0.0001"), ("0.00015", "$0.00015"), ("0", "$0"),
])
def test_one_price_format(value: str, shown: str) -> None:
    assert per_million(Decimal(value)) == shown


def test_free_and_unknown_prices_read_as_words() -> None:
    assert price_text(ROWS[3]) == "free" and price_text(ROWS[4]) == ""


@pytest.mark.parametrize("width", [28, 36, 52])
def test_rows_fit_the_width_with_prices_right_aligned(width: int) -> None:
    widest = max(len(price_text(r)) for r in ROWS)
    lines = [entry_prompt(r, width, widest).plain for r in ROWS]
    assert all(len(line) == width for line in lines)
    priced = [line for line, r in zip(lines, ROWS, strict=True) if price_text(r) and "$120" not in line]
    ends = {line.rstrip().rfind(price_text(r)) + len(price_text(r))
            for line, r in zip(lines, ROWS, strict=True) if line in priced}
    assert len(ends) == 1  # one right edge for the price column
    for line, row in zip(lines, ROWS, strict=True):
        assert line.startswith(row.model[:MIN_NAME - 1])  # every name keeps its start


def test_the_context_column_shows_where_there_is_room() -> None:
    assert entry_prompt(ROWS[2], 52, 14).plain.endswith("$15.00/$120.00   1M")
    assert "131k" not in entry_prompt(ROWS[0], 28, 14).plain  # narrow: the price stays, not the context


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield ModelCatalog()


@pytest.mark.parametrize("width", [34, 60])
async def test_each_model_is_one_line_in_the_pane(width: int) -> None:
    app = Host()
    async with app.run_test(size=(width, 30)) as pilot:
        catalog = app.query_one(ModelCatalog)
        catalog.set_entries(ROWS)
        await pilot.pause()
        options = app.query_one(OptionList)
        assert options.virtual_size.height == options.option_count  # 2 provider heads + 5 rows
