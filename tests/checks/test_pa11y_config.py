"""What the gate asks pa11y-ci to check: the whole page once per template and language, only
<main> on the other pages, and the Chromium settings that keep the cores busy."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from kuntasivu.checks import pa11y
from kuntasivu.checks.tools import Tools


def page(folder: Path, name: str, body: str, *, kind: str | None = "page", lang: str = "fi") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    marker = f' data-kind="{kind}"' if kind else ""
    path.write_text(f'<!doctype html><html lang="{lang}"><title>t</title><body{marker}>{body}</body></html>', "utf-8")
    return path


def test_the_first_page_of_each_template_and_language_is_checked_whole(tmp_path: Path) -> None:
    main = "<header>h</header><main>m</main><footer>f</footer>"
    pages = {
        "palvelut/kirjasto/": page(tmp_path, "b.html", main),
        "hallinto/valtuusto/": page(tmp_path, "a.html", main),
        "palvelut/uimahalli/": page(tmp_path, "c.html", main),
        "sv/service/bibliotek/": page(tmp_path, "d.html", main, lang="sv"),
        "sv/service/simhall/": page(tmp_path, "e.html", main, lang="sv"),
        "": page(tmp_path, "f.html", main, kind="home"),
        "assets/liite.html": page(tmp_path, "g.html", main, kind=None),
        "palvelut/kaksi/": page(tmp_path, "h.html", "<main>1</main><main hidden>2</main>"),
        "palvelut/ei-mainia/": page(tmp_path, "i.html", "<div>m</div>"),
    }
    assert pa11y.root_elements(pages) == {
        "hallinto/valtuusto/": None,  # first "page" in fi: its header, navigation and footer too
        "palvelut/kirjasto/": "main",
        "palvelut/uimahalli/": "main",
        "sv/service/bibliotek/": None,  # first "page" in sv
        "sv/service/simhall/": "main",
        "": None,  # the only "home"
        "assets/liite.html": None,  # not from the theme: always whole
        "palvelut/kaksi/": None,  # two <main>: rootElement would check only the first
        "palvelut/ei-mainia/": None,  # no <main>
    }


def test_config_passes_url_objects_and_caps_renderers() -> None:
    urls: list[str | dict[str, str]] = ["http://127.0.0.1:1/", {"url": "http://127.0.0.1:1/a/", "rootElement": "main"}]
    settings = pa11y.config(urls, "/usr/bin/chromium", 8, 30000, renderers=2)
    assert settings["urls"] == urls
    assert settings["defaults"]["concurrency"] == 8
    assert "--renderer-process-limit=2" in settings["defaults"]["chromeLaunchConfig"]["args"]
    assert "rootElement" not in settings["defaults"]


def test_run_pa11y_gives_pa11y_ci_the_root_of_each_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = tmp_path / "node_modules" / pa11y.CLI
    cli.parent.mkdir(parents=True)
    cli.write_text("", "utf-8")
    seen: dict[str, Any] = {}

    def fake_run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if "--config" not in args:  # reading axe's rule tags
            return subprocess.CompletedProcess(args, 1, "", "")
        settings = json.loads(Path(args[args.index("--config") + 1]).read_text("utf-8"))
        seen.update(settings)
        results: dict[str, list[Any]] = {(u if isinstance(u, str) else u["url"]): [] for u in settings["urls"]}
        report = Path(settings["defaults"]["reporters"][0][1]["fileName"])
        report.write_text(json.dumps({"results": results}), "utf-8")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    tools = Tools(root=tmp_path, chromium="/usr/bin/chromium", java=None, node="node")
    found = pa11y.run_pa11y(tmp_path, ["a/", "b/"], tools, concurrency=3, roots={"a/": None, "b/": "main"})

    assert found == {"a/": [], "b/": []}
    whole, main = seen["urls"]
    assert isinstance(whole, str) and whole.endswith("/a/")
    assert main["rootElement"] == "main" and main["url"].endswith("/b/")
    assert seen["defaults"]["concurrency"] == 3
