# The two commands: `make run` (set up, then serve the console with the simulated hub
# running live) and `make test` (set up, with Debian's Chromium for the browser tests, then
# the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

HOST ?= 127.0.0.1
PORT ?= 8000

run: $(VENV)/.installed
	$(BIN)/hubport init
	$(BIN)/hubport serve --live --admin admin --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# the browser tests drive Debian's Chromium (a browser that downloads itself fails here),
# with a Chinese font for the console's screenshots in Chinese
BROWSER := /usr/bin/chromium /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

$(BROWSER):
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-zenhei

test: lint | $(BROWSER)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
