# `make` runs what CI runs: the data checks, lint, types and the tests.
.PHONY: check test lint data format

check: data lint test

data:
	kg build --check
	kg fmt --check

lint:
	ruff check .
	ruff format --check .
	mypy

test:
	python -m pytest

format:
	kg build
	kg fmt
	ruff format .
	ruff check --fix .
