# 链通 Liantong — two commands: `make run` (demo on SQLite at http://127.0.0.1:8000, served by gunicorn) and
# `make test`; `make dev` serves the same through Django's development server.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run dev test install demo lint clean browser-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/liantong migrate --noinput -v0
	$(BIN)/liantong demo
	@echo "打开 http://127.0.0.1:8000 ，用上面的演示账号登录（Ctrl-C 停止）"
	LIANTONG_TOTP=$${LIANTONG_TOTP:-0} $(BIN)/liantong run 127.0.0.1:8000

# The production server (gunicorn, several workers, DEBUG off, WhiteNoise) serves `make run`; the demo's
# shared accounts log in without a second factor (LIANTONG_TOTP=0) unless asked. For working on the code:
# Django's development server, DEBUG on, reloading.
dev: install
	$(BIN)/liantong migrate --noinput -v0
	$(BIN)/liantong demo
	$(BIN)/liantong run --dev 127.0.0.1:8000

demo: install
	$(BIN)/liantong migrate --noinput -v0
	$(BIN)/liantong demo

# Debian's chromium for the browser tests (never `playwright install`: it downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Tests in TEST_WORKERS pytest-xdist processes (0: one process, no xdist), each on a copy of the template
# database that holds the migrated demo (docs/testing.md). --create-db builds that template afresh, once.
TEST_WORKERS ?= 2
XDIST := $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

test: install browser-deps
	PYTHONDONTWRITEBYTECODE= FAST_PASSWORD_HASHER=1 $(BIN)/python -m pytest --create-db $(XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check liantong

clean:
	rm -rf $(VENV) db.sqlite3* test_db*.sqlite3* staticfiles
