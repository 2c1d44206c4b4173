# Guangong — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# Test workers (pytest-xdist); a module's tests stay together in one worker.
WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --dist loadfile
export DJANGO_SETTINGS_MODULE := guangong.settings

.PHONY: run test install system lint check unit browser fuzz migrate messages bench smoke clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## The Debian packages the tests need (Chromium, poppler, CJK fonts, Pango, gettext).
system:
	.ci/system-packages

migrate: install
	$(BIN)/guangong migrate --noinput

## Start the platform on http://127.0.0.1:$(PORT) with its background worker.
run: install
	mkdir -p var
	$(BIN)/guangong migrate --noinput
	$(BIN)/guangong demo --scale small --seed 1 --if-empty
	$(BIN)/guangong demo_accounts
	$(BIN)/guangong serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/guangong check
	$(BIN)/guangong makemigrations --check --dry-run

unit: install
	$(PYTEST) -m "not browser"

browser: install system
	$(PYTEST) -m browser

## Schema-driven API fuzz (minutes; not part of `make test`): fails on any 5xx answer.
## FUZZ_EXAMPLES (default 25) generated requests per operation and persona, FUZZ_SEED the seed;
## the personas run in parallel workers.
fuzz: install
	$(BIN)/pytest -q -n $(WORKERS) -m fuzz

## Everything: lint, Django checks, missing migrations, unit tests, browser tests.
test: system lint check
	$(BIN)/guangong compilemessages -l zh_Hans --ignore=.venv >/dev/null
	$(PYTEST)

messages: install
	cd guangong && GUANGONG_VAR_DIR=$(CURDIR)/var ../$(BIN)/guangong makemessages -l zh_Hans --no-obsolete --ignore='tests/*'
	cd guangong && GUANGONG_VAR_DIR=$(CURDIR)/var ../$(BIN)/guangong compilemessages -l zh_Hans

## The production stack (PostgreSQL, Redis, gunicorn, huey, GUANGONG_ENV=production) on loopback,
## crawled as every demo persona: fails on any 5xx or static file not served.
smoke: install
	$(BIN)/python deploy/smoke.py

bench: install
	$(BIN)/python bench/orgs.py

clean:
	rm -rf $(VENV) var
