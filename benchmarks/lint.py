"""How long `kuntasivu lint` takes per municipality, beside a build of the same municipality.

Usage: .venv/bin/python benchmarks/lint.py [SLUG...]     # default: every sample municipality

For each municipality, measured in the same run on the same machine:

- lint: `lint_municipality` in this process (loading the content, which every command does, and
  all the checks), best of 5 runs, each with a fresh view of the other sites, so the sites it
  links to are loaded again every time;
- lint CLI: `kuntasivu lint SLUG` as a new process, wall time, which adds Python's start-up and
  imports (once per run, however many municipalities are linted);
- build: `kuntasivu build SLUG --checks static` into a temporary folder, wall time, once. There is
  no option to build without any checks; `static` is the smallest gate (no Nu, no Chromium), so
  the ratio lint / build is if anything larger than against a bare MkDocs build.

The issue asks for well under 1 s per municipality; the script exits 1 when a lint takes 1 s or more.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from kuntasivu.lint.links import Sites  # noqa: E402
from kuntasivu.lint.run import lint_municipality  # noqa: E402

KUNTASIVU = ROOT / ".venv" / "bin" / "kuntasivu"
LIMIT_S = 1.0


def lint_time(slug: str) -> float:
    municipalities, shared = ROOT / "municipalities", ROOT / "site_src"
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        lint_municipality(municipalities / slug, shared, dt.date.today(), Sites(municipalities, shared))
        best = min(best, time.perf_counter() - start)
    return best


def wall(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(KUNTASIVU), *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    slugs = argv or sorted(p.parent.name for p in (ROOT / "municipalities").glob("*/site.yml"))
    print(f"{'municipality':<14}{'lint s':>9}{'lint CLI s':>12}{'build s':>10}{'lint/build':>12}")
    slow = []
    with tempfile.TemporaryDirectory(prefix="lint-bench-") as tmp:
        for slug in slugs:
            lint_s = lint_time(slug)
            cli_s = wall("lint", slug)
            build_s = wall("build", slug, "--checks", "static", "--out", f"{tmp}/out", "--reports", f"{tmp}/reports")
            print(f"{slug:<14}{lint_s:>9.3f}{cli_s:>12.2f}{build_s:>10.1f}{lint_s / build_s:>11.1%}")
            if lint_s >= LIMIT_S:
                slow.append(slug)
    if slow:
        print(f"over {LIMIT_S:g} s: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
