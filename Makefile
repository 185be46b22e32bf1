# The README's two commands: `make site` and `make test`. Both set everything up from scratch
# on a fresh Debian machine: Python packages into .venv, npm packages from package-lock.json,
# and Debian packages (Chromium, a Java runtime) with apt-get when run as root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
DEBIAN_PACKAGES := chromium:chromium java:default-jre-headless
M ?= kankaanpaa

.PHONY: site test lint serve setup system-packages clean

site: setup
	$(BIN)/kuntasivu build --all

test: setup lint
	$(BIN)/python -m pytest

lint: $(PY_STAMP)
	$(BIN)/ruff check plugins tests
	$(BIN)/ruff format --check plugins tests
	$(BIN)/mypy

serve: setup
	$(BIN)/kuntasivu serve $(M)

setup: $(PY_STAMP) $(NPM_STAMP) system-packages

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# PUPPETEER_SKIP_DOWNLOAD: pa11y-ci must use Debian's Chromium, never download its own browser.
$(NPM_STAMP): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Installs what is missing as root; otherwise says exactly what to run.
system-packages:
	@missing=""; \
	for pair in $(DEBIAN_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf public reports $(VENV) node_modules
