# One command runs the product, one passes the tests; both set up .venv on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run test check lint eval golden golden-diff bench soak reliability index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Running needs the runtime only; the tests add the dev tools and the sentence-transformers extra (torch).
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,st]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/policybot serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot ui tests eval
	$(BIN)/ruff format --check bot ui tests eval
	$(BIN)/mypy

check: lint test

index: $(RUN_STAMP)
	$(BIN)/policybot index

eval: $(STAMP)
	$(BIN)/python -m eval.run --answers
	$(BIN)/python -m eval.library
	$(BIN)/python -m eval.conversations

# The guard for restructuring: today's answers to every eval question, and what a change does to them.
golden: $(STAMP)
	$(BIN)/python -m eval.golden record

golden-diff: $(STAMP)
	$(BIN)/python -m eval.golden diff

bench: $(STAMP)
	$(BIN)/python -m eval.bench
	$(BIN)/python -m eval.scale --json eval/results/scale.json
	$(BIN)/python -m eval.load
	$(BIN)/python -m eval.workers --json eval/results/workers.json
	$(BIN)/python -m eval.fairness --json eval/results/fairness.json

soak: $(STAMP)
	$(BIN)/python -m eval.load --soak 600

reliability: $(STAMP)
	$(BIN)/python -m eval.reliability

clean:
	rm -rf $(VENV) index/*.faiss index/current index/.build-*
