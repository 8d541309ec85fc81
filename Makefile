# `make` runs what CI runs: the data checks, lint, types and the tests.
.PHONY: check test lint data format pictures

check: data lint test

data:
	kg build --check
	kg fmt --check
	kg diagram --check

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	python -m pytest

format:
	kg build
	kg fmt
	kg diagram
	ruff format .
	ruff check --fix .

# The pictures the README shows (needs chromium and chromium-driver).
pictures:
	kg diagram
	python -m tests.browser docs/
