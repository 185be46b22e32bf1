"""The MkDocs adapter: the only module that imports MkDocs.

It feeds the engine-neutral page sources (kuntasivu.content.pages) to MkDocs as
generated files, gives the theme its template data and writes the extra output
files. Moving to another engine means replacing this module and the theme.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import markdown as markdown_lib
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime, get_relative_url
from mkdocs.utils.templates import TemplateContext

from .assets import bundle, fingerprinted
from .checks.tools import ToolMissing, Tools
from .component_library import deep_merge, library
from .content.errors import ContentErrors
from .content.feedback_data import fetch_feedback_data
from .content.feedback_export import EXPORT_PATH as FEEDBACK_EXPORT_PATH
from .content.feedback_export import exported as feedback_exported
from .content.feedback_export import feedback_export
from .content.feedback_view import widget_pages
from .content.feeds import feed_files
from .content.form_export import export_path, form_export, used_forms
from .content.images import ImageError, Images, body_images
from .content.loading import Content, load_content
from .content.not_found import not_found_page, not_found_path
from .content.pages import PageSource, page_sources, redirects_file, site_context
from .content.sitemap import robots_txt, sitemap_xml
from .editor.admin import EditorBuildError, write_admin
from .search import SearchIndexError, index_site, is_indexed
from .serving import SERVE_ROOT_ENV, ServingError, write_serving_files
from .statement.build import statement_json
from .theme import stylesheet
from .weight import Budget, SiteFiles, budget_problems, measure_site

log = logging.getLogger("mkdocs.plugins.kuntasivu")
weight_log = logging.getLogger("kuntasivu.weight")
"""Not under 'mkdocs': MkDocs' strict mode would turn budget_level 'warning' into a failed build."""
MAP_BUDGET_KEYS = ("map_budget_kb", "map_budget_requests")
LIBRARY_BUDGET_KEYS = ("library_budget_kb", "library_budget_requests")
_PAGE_HOST = "page.invalid"
"""Stands for the site's host while resolving an <img src> against its page's address."""

LEAFLET_DIST = "leaflet/dist"
"""Leaflet's built files in node_modules (package.json pins the version)."""
LEAFLET_FILES = ("leaflet.js", "leaflet.css")
LEAFLET_URL = "assets/leaflet/"
"""Where the site serves Leaflet; leaflet.css finds its images/ beside it."""
SCRIPT_BUNDLES = {
    "assets/forms.js": ("form_kit.js", "forms.js"),
    "assets/feedback.js": ("form_kit.js", "feedback.js"),
    "assets/forms-feedback.js": ("form_kit.js", "forms.js", "feedback.js"),
}
"""The one script a page with a form, the feedback map or both loads (main.html picks it), made
from the theme's sources in this order: one request instead of two or three."""


class ContentBuildError(PluginError):
    """Raised when MkDocs itself (``mkdocs build``/``serve``) meets content errors; lists them all."""

    def __init__(self, errors: ContentErrors, root: Path) -> None:
        self.errors = errors
        super().__init__(errors.format(root))


class Texts:
    """UI texts of one language for templates: ``t('nav.main')``, ``t('home_link', name=…)``."""

    def __init__(self, texts: dict[str, str], lang: str) -> None:
        self._texts = texts
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise PluginError(f"theme uses text '{key}' that is missing from site_src/texts/{self.lang}.yml") from None
        return text.format(**values) if values else text


class KuntasivuPluginConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__
    shared_dir = c.Type(str, default="site_src")
    """Folder of the shared content library, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Date (YYYY-MM-DD) that decides which events are upcoming; defaults to the build day."""
    fetch_feedback = c.Type(bool, default=False)
    """Read feedback statistics and the public list from the receiving service (also
    KUNTASIVU_FETCH_FEEDBACK=1, set by `kuntasivu build --fetch-feedback`)."""
    budget_kb = c.Type((int, float), default=45)
    """Page weight budget: the most a page's first load may transfer, in KB gzip (weight.py)."""
    budget_requests = c.Type(int, default=5)
    """Page weight budget: the most requests a page's first load may make."""
    map_budget_kb = c.Type((int, float), default=80)
    """The budget of pages with the feedback map, whose Leaflet alone is about 43 KB gzip."""
    map_budget_requests = c.Type(int, default=7)
    """Requests of pages with the feedback map: Leaflet's style sheet and script come on top."""
    library_budget_kb = c.Type((int, float), default=150)
    """The budget of the component library (/_components/): every example of every component on
    one page, for designers and reviewers; noindex and linked from nowhere, so no reader loads it."""
    library_budget_requests = c.Type(int, default=5)
    budget_level = c.Choice(("error", "warning"), default="error")
    """'error': a page over its budget fails the build; 'warning': it is reported and the build goes on."""
    image_cache = c.Type(str, default=".cache/images")
    """Folder of resized image copies, relative to mkdocs.yml; kept between builds."""


class KuntasivuPlugin(BasePlugin[KuntasivuPluginConfig]):  # type: ignore[no-untyped-call]
    """Builds a municipality's site from the YAML content in ``docs_dir``."""

    statements: dict[str, dict[str, Any]] | None = None
    """The accessibility statement per language, once the audit has written it (see pipeline)."""
    previewing = False
    """Set by serve_site: content errors then leave the build as they are, for the preview's error page."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.root = root
        municipality_dir = Path(config.docs_dir)
        try:
            self.content: Content = load_content(municipality_dir, root / self.config.shared_dir)
        except ContentErrors as errors:
            if self.previewing:
                raise  # the preview (preview/) shows them in the browser and prints them itself
            raise ContentBuildError(errors, root) from None
        today_text = self.config.today or os.environ.get("KUNTASIVU_TODAY")
        self.today = dt.date.fromisoformat(today_text) if today_text else dt.date.today()
        fetch = self.config.fetch_feedback or os.environ.get("KUNTASIVU_FETCH_FEEDBACK") == "1"
        feedback_data = fetch_feedback_data(self.content) if fetch else None
        self.images = Images(root / self.config.image_cache)
        languages = self.content.languages
        try:
            self.sources: dict[str, PageSource] = {
                s.src_uri: s for s in page_sources(self.content, self.today, feedback_data, self.images)
            }
            self.site_data = {lang: site_context(self.content, lang, self.today, self.images) for lang in languages}
        except ImageError as error:
            raise PluginError(str(error)) from None
        self.texts = {lang: Texts(self.content.texts[lang], lang) for lang in languages}
        site = self.content.site.item
        config.site_name = site.name.get(languages[0])
        config.site_url = site.site_url
        config.theme["language"] = languages[0]
        self.markdown_extensions = list(config.markdown_extensions)
        self.markdown_config = dict(config.mdx_configs)
        self.theme_dir = Path(config.theme.custom_dir or root / "themes" / "kunta")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Replace what MkDocs found with the generated pages, the site's assets and our CSS."""
        out = Files([])
        theme_dir = str(self.theme_dir.resolve())
        for file in files:
            # Keep only files from our own theme folder (favicon); mkdocs-material's CSS and JS
            # are not used: they fail the accessibility baseline and the page weight budget.
            ours = bool(file.abs_src_path) and str(file.abs_src_path).startswith(theme_dir)
            if ours and file.src_uri.endswith((".ico", ".svg")) and not file.src_uri.startswith("components/"):
                out.append(file)
        for source in self.sources.values():
            out.append(File.generated(config, source.src_uri, content=source.markdown))
        for base, prefix in ((self.content.municipality_dir, "assets/"), (self.content.shared_dir, "assets/shared/")):
            assets = base / "assets"
            for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    uri = prefix + path.relative_to(assets).as_posix()
                    out.append(File.generated(config, uri, abs_src_path=str(path)))
        for statement in (self.statements or {}).values():
            twin = json.dumps(statement_json(self.content, statement), ensure_ascii=False, indent=2)
            out.append(File.generated(config, statement["json_url"], content=twin + "\n"))
        brand = self.content.site.item.brand.primary_colour
        css = stylesheet(self.theme_dir, brand)
        self.asset_urls: dict[str, str] = {}
        out.append(self._fingerprinted(config, "assets/kunta.css", css.encode()))
        # The site's pages link to the fingerprinted copy; the plain name stays for pages outside
        # the site that link to a stable address (the receiving service's, via the form exports).
        out.append(File.generated(config, "assets/kunta.css", content=css))
        # The news feeds and event calendars; MkDocs' own build time keeps SOURCE_DATE_EPOCH builds reproducible.
        for feed_path, text in feed_files(self.content, get_build_datetime()).items():
            out.append(File.generated(config, feed_path, content=text))
        out.append(File.generated(config, "robots.txt", content=robots_txt(self.content)))
        if feedback_exported(self.content):
            export = json.dumps(feedback_export(self.content), ensure_ascii=False, indent=2)
            out.append(File.generated(config, FEEDBACK_EXPORT_PATH, content=export + "\n"))
        forms = used_forms(self.content)
        for form_id in forms:
            export = json.dumps(form_export(self.content, form_id), ensure_ascii=False, indent=2)
            out.append(File.generated(config, export_path(form_id), content=export + "\n"))
        widget = widget_pages(self.content)
        both = any(s.context.get("form") and s.context.get("feedback_widget") for s in self.sources.values())
        wanted = {"assets/forms.js": bool(forms), "assets/feedback.js": bool(widget), "assets/forms-feedback.js": both}
        for name, parts in SCRIPT_BUNDLES.items():
            if wanted[name]:
                script = bundle([self.theme_dir / "assets" / part for part in parts])
                out.append(self._fingerprinted(config, name, script.encode()))
        if widget:
            for file in self._leaflet(config, widget):
                out.append(file)
        # Every site has a search page (search.py); only it loads this script.
        search_js = (self.theme_dir / "assets" / "search.js").read_bytes()
        out.append(self._fingerprinted(config, "assets/search.js", search_js))
        # Resized copies of the images the templates show; those of Markdown bodies are added as
        # the pages are rendered (on_page_content).
        for uri, path in self.images.variants.items():
            out.append(File.generated(config, uri, abs_src_path=str(path)))
        return out

    def _fingerprinted(self, config: MkDocsConfig, uri: str, data: bytes) -> File:
        """``data`` served under a name with its content hash; templates ask for it as ``uri | asset``."""
        self.asset_urls[uri] = fingerprinted(uri, data)
        return File.generated(config, self.asset_urls[uri], content=data)

    def _leaflet(self, config: MkDocsConfig, pages: list[str]) -> list[File]:
        """Leaflet (from npm, never a copy in the repository) for the widget's map, only on sites
        whose pages show it. Its script and style sheet are fingerprinted as they are; its
        images/ keep their names, beside leaflet.css, which finds them by relative address."""
        try:
            dist = Tools.find(self.root).require_package("leaflet", f"{LEAFLET_DIST}/leaflet.js").parent
        except ToolMissing as missing:
            raise PluginError(f"the feedback map on page '{pages[0]}' needs Leaflet: {missing}") from None
        files = [
            self._fingerprinted(config, f"{LEAFLET_URL}{name}", (dist / name).read_bytes()) for name in LEAFLET_FILES
        ]
        for image in sorted((dist / "images").glob("*.png")):
            files.append(File.generated(config, f"{LEAFLET_URL}images/{image.name}", abs_src_path=str(image)))
        return files

    def _asset_url(self, uri: str) -> str:
        """The ``asset`` filter: a theme file's fingerprinted address, ``assets/kunta.css`` →
        ``assets/kunta.<hash>.css``."""
        try:
            return self.asset_urls[uri]
        except KeyError:
            known = ", ".join(sorted(self.asset_urls))
            raise PluginError(
                f"the theme asks for asset '{uri}', which this site's build does not make (it makes {known}); "
                "add it in mkdocs_plugin.on_files or fix the name in the template"
            ) from None

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        extensions = self.markdown_extensions
        configs = self.markdown_config

        def render_markdown(text: str) -> Markup:
            # Markdown inside blocks (FAQ answers) gets the same extensions as page bodies;
            # its page links were already resolved to URLs by the page sources.
            html = markdown_lib.Markdown(extensions=extensions, extension_configs=configs).convert(text or "")
            return Markup(html)

        self._render_markdown = render_markdown
        # MkDocs' environment does not escape; ours does, so a '<' in a title or any text from
        # content can never become markup. Rendered Markdown is marked safe where it is used.
        env.autoescape = True
        env.globals["search_indexed"] = is_indexed  # base.html: which pages the search reads
        env.filters["markdown"] = render_markdown
        env.filters["asset"] = self._asset_url
        self.env = env
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav, self.files = nav, files  # for the 404 pages of the other languages (on_post_build)
        return nav

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Images in the Markdown body get their size, lazy loading and resized copies (images.py);
        MkDocs copies the files after all pages are read, so the copies are added to ``files`` here."""
        source = self.sources[page.file.src_uri]

        def locate(src: str) -> tuple[Path, str] | None:
            parts = urlsplit(urljoin(f"http://{_PAGE_HOST}/{page.url}", src))
            file = files.get_file_from_path(unquote(parts.path).lstrip("/")) if parts.netloc == _PAGE_HOST else None
            return (Path(file.abs_src_path), file.src_uri) if file is not None and file.abs_src_path else None

        try:
            html = body_images(
                html,
                self.images,
                locate,
                lambda uri: get_relative_url(uri, page.url),
                first_eager=not source.context.get("image"),
            )
        except ImageError as error:
            raise PluginError(f"{error} (in the text of {source.source or page.file.src_uri})") from None
        for uri, path in self.images.variants.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        source = self.sources[page.file.src_uri]
        statement = (self.statements or {}).get(source.lang) if source.kind == "accessibility" else None
        # MkDocs' TemplateContext type lists only its own keys; "ks" is the theme's namespace.
        context["ks"] = {  # type: ignore[typeddict-unknown-key]
            "page": source,
            "site": self.site_data[source.lang],
            "t": self.texts[source.lang],
            "statement": statement,
        }
        if source.kind == "components":
            context["ks"]["components"] = self._component_library(source)  # type: ignore[typeddict-item]
        return context

    def _component_library(self, page: PageSource) -> list[dict[str, Any]]:
        """Every component example rendered with this site's own data, for /_components/."""

        def make_ks(overrides: dict[str, Any]) -> dict[str, Any]:
            page_fields = dict(overrides.get("page") or {})
            lang = page_fields.get("lang") or page.lang
            if lang not in self.content.texts:
                lang = page.lang
            page_fields["lang"] = lang
            known = {f.name for f in dataclasses.fields(PageSource)}
            example_page = dataclasses.replace(page, **{k: v for k, v in page_fields.items() if k in known})
            # An example in a language the site does not use still gets that language's UI texts.
            site = deep_merge(self.site_data.get(lang, self.site_data[page.lang]), overrides.get("site") or {})
            texts = Texts(self.content.texts[lang], lang)
            return {"site": site, "page": example_page, "t": texts, "statement": None}

        def url(value: object) -> str:
            # Frames (srcdoc) resolve addresses against this page, one folder below the root.
            text = str(value)
            return text if text.startswith(("http:", "https:", "mailto:", "tel:", "#")) else "../" + text

        return library(self.theme_dir, make_ks, url, self._render_markdown, "../" + self.asset_urls["assets/kunta.css"])

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "404.html":
            context["ks"] = self._not_found_ks(self.content.languages[0])  # type: ignore[typeddict-unknown-key]
        elif template_name == "sitemap.xml":
            # The theme's sitemap.xml only prints this text; MkDocs also gzips it into sitemap.xml.gz.
            sitemap = sitemap_xml(self.content, self.sources.values())
            context["sitemap_xml"] = Markup(sitemap)  # type: ignore[typeddict-unknown-key]
        return context

    def _not_found_ks(self, lang: str) -> dict[str, Any]:
        return {
            "page": not_found_page(self.content, lang),
            "site": self.site_data[lang],
            "t": self.texts[lang],
            "statement": None,
        }

    def _write_other_not_found_pages(self, config: MkDocsConfig, site_dir: Path) -> None:
        """MkDocs renders 404.html in the default language; the other languages' get the same
        template and the same absolute base URL (the server shows them at any address)."""
        template = self.env.get_template("404.html")
        for lang in self.content.languages[1:]:
            context = get_context(self.nav, self.files, config, base_url=urlsplit(config.site_url or "/").path)
            context["ks"] = self._not_found_ks(lang)  # type: ignore[typeddict-unknown-key]
            html = config.plugins.on_post_template(template.render(context), template_name="404.html", config=config)
            path = site_dir / not_found_path(self.content, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        self._write_other_not_found_pages(config, site_dir)
        (site_dir / "_redirects").write_text(redirects_file(self.content), encoding="utf-8")
        try:
            write_admin(self.content, site_dir, self.root)  # the browser editor, with editor: in site.yml
        except EditorBuildError as error:
            if not self.previewing:
                raise PluginError(str(error)) from None
            # A preview is for the site; staff previewing on a machine without npm packages (pip
            # only) should not get a warning, which a preview shows as a failed build.
            log.info("preview without the browser editor (admin/): %s", error)
        self._index_for_search(site_dir)
        self._write_serving_files(site_dir)
        self._check_page_weight(site_dir)

    def _check_page_weight(self, site_dir: Path) -> None:
        """The page weight budget (weight.py) over every page as published: with budget_level
        'error' a page over it fails the build, like a compiler error; 'warning' reports and goes on."""
        site = SiteFiles.for_site_url(site_dir, self.content.site.item.site_url)
        shown = {s.url + "index.html": _shown_path(s.source, self.root) for s in self.sources.values() if s.source}
        budget = Budget(self.config.budget_kb, self.config.budget_requests)
        options = self.config
        map_budget = Budget(options.map_budget_kb, options.map_budget_requests, "map page budget", MAP_BUDGET_KEYS)
        library_budget = Budget(
            options.library_budget_kb, options.library_budget_requests, "component library budget", LIBRARY_BUDGET_KEYS
        )
        own_budgets = {
            s.url + "index.html": library_budget if s.kind == "components" else map_budget
            for s in self.sources.values()
            if s.kind == "components" or s.context.get("feedback_widget")
        }
        problems = budget_problems(measure_site(site), budget, own_budgets, shown)
        if not problems:
            return
        if self.config.budget_level == "warning":
            for problem in problems:
                weight_log.warning("page weight: %s", problem)
            return
        raise PluginError("page weight budget (budget_level: error):\n" + "\n".join(problems))

    def _write_serving_files(self, site_dir: Path) -> None:
        """_headers and _nginx.conf (serving/), after the pages are final: the Content-Security-Policy
        hashes what the finished pages hold and the long cache lists the fingerprinted files."""
        try:
            write_serving_files(self.content, site_dir, os.environ.get(SERVE_ROOT_ENV))
        except ServingError as error:
            raise PluginError(f"serving the site: {error}") from None

    def _index_for_search(self, site_dir: Path) -> None:
        """The search index (search.py), once every page is written: it reads them as they are published."""
        try:
            index_site(site_dir, self.content.languages)
        except SearchIndexError as error:
            raise PluginError(f"search index: {error}") from None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / self.config.shared_dir))
        server.watch(str(self.theme_dir))
        return server


def _shown_path(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def mkdocs_config(root: Path, municipality_dir: Path, site_dir: Path, today: dt.date | None = None) -> MkDocsConfig:
    """The MkDocs configuration that builds one municipality into ``site_dir``."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # mkdocs-material's banner says nothing to our users
    if today is not None:
        os.environ["KUNTASIVU_TODAY"] = today.isoformat()
    return load_config(
        str(root / "mkdocs.yml"),
        docs_dir=str(municipality_dir),
        site_dir=str(site_dir),
    )


def build_site(
    root: Path,
    municipality_dir: Path,
    site_dir: Path,
    today: dt.date | None = None,
    statements: dict[str, dict[str, Any]] | None = None,
    *,
    previewing: bool = False,
) -> None:
    """Build one municipality with MkDocs into ``site_dir``; raises on any error or warning.

    ``statements`` (per language) are the accessibility statement written from the audit;
    without them the statement page says only what the law requires and how to give feedback.
    ``previewing`` builds as the preview does (KuntasivuPlugin.previewing)."""
    from mkdocs.commands.build import build

    config = mkdocs_config(root, municipality_dir, site_dir, today)
    plugin = config.plugins["kuntasivu"]
    assert isinstance(plugin, KuntasivuPlugin)
    plugin.statements = statements
    plugin.previewing = previewing
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _wait_for_rebuild(server: Any) -> None:
    """Wait, as MkDocs' own request handler does (LiveReloadServer._serve_request), until a build a
    change has started is finished: a page asked for meanwhile must not be judged by the last one."""
    condition = getattr(server, "_epoch_cond", None)  # private in MkDocs 1.6: absent, we only lose the wait
    if condition is None:
        return
    with condition:
        condition.wait_for(lambda: server._visible_epoch == server._wanted_epoch)


def serve_site(root: Path, municipality_dir: Path, host: str, port: int) -> None:
    """Preview one municipality with live reload; a failed build shows its errors on every page
    instead of the last good one (preview/). MkDocs' own serve() would exit on a broken file at
    startup, so this is its loop with our builder, which never raises."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort
    from mkdocs.livereload import LiveReloadServer

    from .preview import BuildFailed, Preview

    site_dir = Path(tempfile.mkdtemp(prefix="kuntasivu-preview-"))
    watched = mkdocs_config(root, municipality_dir, site_dir)
    plugin = watched.plugins["kuntasivu"]
    assert isinstance(plugin, KuntasivuPlugin)
    shared_dir = root / plugin.config.shared_dir
    preview = Preview(root, municipality_dir, site_dir, f"http://{host}:{port}/", shared_dir=shared_dir)

    def build_once() -> None:
        config = mkdocs_config(root, municipality_dir, site_dir)
        plugin = config.plugins["kuntasivu"]
        assert isinstance(plugin, KuntasivuPlugin)
        plugin.previewing = True
        try:
            build(config, serve_url=preview.url)
        except Abort as abort:  # MkDocs has logged the reason: a PluginError's text or the warnings
            raise BuildFailed(str(abort)) from None
        finally:
            config.plugins.on_shutdown()

    server = LiveReloadServer(lambda: preview.rebuild(build_once), host, port, str(site_dir))
    server.set_app(preview.app(server.serve_request, lambda: _wait_for_rebuild(server)))
    server.error_handler = lambda code: _read_bytes(site_dir / "404.html") if code == 404 else None
    try:
        preview.rebuild(build_once)
        preview.say(f"preview: {preview.url} (saving a file rebuilds it; Ctrl+C stops)")
        for path in (municipality_dir, root / "mkdocs.yml", shared_dir, watched.theme.custom_dir):
            if path:
                server.watch(str(path))
        try:
            server.serve()  # type: ignore[no-untyped-call]  # MkDocs leaves it untyped
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _read_bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
