# The README's two commands: `make site` and `make test`. Both set everything up from scratch
# on a fresh Debian machine: Python packages into .venv, npm packages from package-lock.json,
# and Debian packages (Chromium, a Java runtime, PostgreSQL and nginx for the tests) with apt-get
# when run as root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# Each pair is check:package; a check is a command name or, after "test ", a shell test.
DEBIAN_PACKAGES := chromium:chromium java:default-jre-headless "test -x /usr/lib/postgresql/*/bin/initdb":postgresql \
	"test -x /usr/sbin/nginx":nginx-light openssl:openssl
M ?= kankaanpaa
# `make site` builds every municipality; SITES="karvia lohja" builds those, CHANGED_SINCE=origin/main
# only those a change since that git ref touches; BUILD_FLAGS go to `kuntasivu build` as they are.
SITES ?=
CHANGED_SINCE ?=
BUILD_FLAGS ?=

.PHONY: site test lint serve inbox setup system-packages clean

site: setup
	$(BIN)/kuntasivu build $(if $(CHANGED_SINCE),--changed-since $(CHANGED_SINCE) $(SITES),$(or $(SITES),--all)) $(BUILD_FLAGS)

# Two workers (one per core): the suite waits on Chromium, Java and servers much of the time.
# A worker takes whole test files, so a module's built site and servers are made once; the six
# sample sites are built once for both (tests/conftest.py sample_sites).
TEST_WORKERS ?= 2
test: setup lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(PY_STAMP)
	$(BIN)/ruff check plugins inbox tests
	$(BIN)/ruff format --check plugins inbox tests
	$(BIN)/mypy

serve: setup
	$(BIN)/kuntasivu serve $(M)

# The form receiving service on http://127.0.0.1:8080/ with SQLite (inbox.sqlite3), reading
# the form exports of public/. See inbox/README.md for PostgreSQL and the settings.
inbox: $(PY_STAMP)
	$(BIN)/kuntasivu-inbox serve

setup: $(PY_STAMP) $(NPM_STAMP) system-packages

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,inbox]'
	touch $@

# PUPPETEER_SKIP_DOWNLOAD: pa11y-ci must use Debian's Chromium, never download its own browser.
$(NPM_STAMP): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Installs what is missing as root; otherwise says exactly what to run.
system-packages:
	@missing=""; \
	for pair in $(DEBIAN_PACKAGES); do \
	  check="$${pair%%:*}"; \
	  case "$$check" in \
	    "test "*) eval "$$check" ;; \
	    *) command -v "$$check" >/dev/null 2>&1 ;; \
	  esac || missing="$$missing $${pair##*:}"; \
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
