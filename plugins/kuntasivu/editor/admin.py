"""The admin/ folder of a built site: Decap CMS for staff who edit in the browser.

Written only for a site with an ``editor:`` section in site.yml. Without it there is no admin/: a
sign-in page that cannot reach any repository would only confuse staff and residents who find
it, and the README says how to turn the editor on. The admin is a third-party application for
staff, not a page of the site: the accessibility gate, the search, the sitemap, the page weight
budget and the page scan of the Content-Security-Policy leave ADMIN_DIR out (editor.is_admin), and the
server sends it its own headers (serving/policy.py ADMIN_HEADERS).

Decap comes from npm (package.json pins decap-cms), copied at build time and never committed:
its main script and the chunks and WebAssembly it loads from beside itself on demand.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import yaml

from ..checks.tools import ToolMissing, Tools
from ..content.loading import Content
from . import ADMIN_DIR
from .decap import decap_config, interface_language

DECAP_DIST = "decap-cms/dist"
DECAP_SCRIPT = "decap-cms.js"
WIDGETS = Path(__file__).with_name("widgets.js")
"""Our own Decap widgets (decap.py SAME_TEXT_WIDGET), loaded after Decap and registered with it."""
WIDGETS_SCRIPT = "kuntasivu-widgets.js"


class EditorBuildError(Exception):
    """The editor cannot be written: Decap is not installed."""


def decap_files(root: Path) -> list[Path]:
    """Decap's built files in node_modules: the script and what it loads beside itself (its source
    maps are left out: 50 MB nobody at the municipality needs)."""
    try:
        script = Tools.find(root).require_package("decap-cms", f"{DECAP_DIST}/{DECAP_SCRIPT}")
    except ToolMissing as missing:
        raise EditorBuildError(f"the editor (editor: in site.yml) needs Decap CMS: {missing}") from None
    dist = script.parent
    chunks = sorted(dist.glob(f"*.{DECAP_SCRIPT}")) + sorted(dist.glob("*.wasm"))
    return [script, *chunks]


def index_html(content: Content) -> str:
    """The admin page: our own, small; Decap draws itself into its body. The page's language is
    that of Decap's interface (English on a Finnish site: decap.py DECAP_LOCALES), so that a screen
    reader reads Decap's buttons right; our own title and no-script text are in the site's language
    and say so."""
    lang = content.languages[0]
    texts = content.texts[lang]
    name = content.site.item.name.get(lang)
    title = texts["editor.title"].format(name=name)
    return (
        "<!doctype html>\n"
        f'<html lang="{interface_language(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f'<title lang="{lang}">{html.escape(title)}</title>\n'
        "</head>\n"
        "<body>\n"
        f'<noscript><p lang="{lang}">{html.escape(texts["editor.noscript"])}</p></noscript>\n'
        f'<script src="{DECAP_SCRIPT}"></script>\n'
        f'<script src="{WIDGETS_SCRIPT}"></script>\n'
        "</body>\n"
        "</html>\n"
    )


def write_admin(content: Content, site_dir: Path, root: Path) -> Path | None:
    """Write ``site_dir/admin/`` for a site with an editor; returns the folder, or None."""
    if content.site.item.editor is None:
        return None
    files = decap_files(root)
    config = decap_config(content.site.item, content.slug)
    folder = site_dir / ADMIN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, folder / path.name)
    shutil.copyfile(WIDGETS, folder / WIDGETS_SCRIPT)
    header = (
        f"# Decap CMS configuration of {content.slug}, written by the build from the content schemas. Do not edit.\n"
    )
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
    (folder / "config.yml").write_text(header + text, encoding="utf-8")
    (folder / "index.html").write_text(index_html(content), encoding="utf-8")
    return folder
