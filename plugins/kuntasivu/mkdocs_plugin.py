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
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .checks.tools import ToolMissing, Tools
from .component_library import deep_merge, library
from .content.errors import ContentErrors
from .content.feedback_data import fetch_feedback_data
from .content.feedback_export import EXPORT_PATH as FEEDBACK_EXPORT_PATH
from .content.feedback_export import exported as feedback_exported
from .content.feedback_export import feedback_export
from .content.feedback_view import widget_pages
from .content.form_export import export_path, form_export, used_forms
from .content.loading import Content, load_content
from .content.pages import PageSource, page_sources, redirects_file, site_context
from .statement.build import statement_json
from .theme import stylesheet

log = logging.getLogger("mkdocs.plugins.kuntasivu")

LEAFLET_DIST = "leaflet/dist"
"""Leaflet's built files in node_modules (package.json pins the version)."""
LEAFLET_FILES = ("leaflet.js", "leaflet.css")
LEAFLET_URL = "assets/leaflet/"
"""Where the site serves Leaflet; leaflet.css finds its images/ beside it."""


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


class KuntasivuPlugin(BasePlugin[KuntasivuPluginConfig]):  # type: ignore[no-untyped-call]
    """Builds a municipality's site from the YAML content in ``docs_dir``."""

    statements: dict[str, dict[str, Any]] | None = None
    """The accessibility statement per language, once the audit has written it (see pipeline)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.root = root
        municipality_dir = Path(config.docs_dir)
        try:
            self.content: Content = load_content(municipality_dir, root / self.config.shared_dir)
        except ContentErrors as errors:
            raise ContentBuildError(errors, root) from None
        today_text = self.config.today or os.environ.get("KUNTASIVU_TODAY")
        self.today = dt.date.fromisoformat(today_text) if today_text else dt.date.today()
        fetch = self.config.fetch_feedback or os.environ.get("KUNTASIVU_FETCH_FEEDBACK") == "1"
        feedback_data = fetch_feedback_data(self.content) if fetch else None
        self.sources: dict[str, PageSource] = {
            s.src_uri: s for s in page_sources(self.content, self.today, feedback_data)
        }
        languages = self.content.languages
        self.site_data = {lang: site_context(self.content, lang, self.today) for lang in languages}
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
        out.append(File.generated(config, "assets/kunta.css", content=stylesheet(self.theme_dir, brand)))
        if feedback_exported(self.content):
            export = json.dumps(feedback_export(self.content), ensure_ascii=False, indent=2)
            out.append(File.generated(config, FEEDBACK_EXPORT_PATH, content=export + "\n"))
        forms = used_forms(self.content)
        for form_id in forms:
            export = json.dumps(form_export(self.content, form_id), ensure_ascii=False, indent=2)
            out.append(File.generated(config, export_path(form_id), content=export + "\n"))
        widget = widget_pages(self.content)
        if forms or widget:
            # What forms.js and feedback.js share; main.html loads it before either.
            script = self.theme_dir / "assets" / "form_kit.js"
            out.append(File.generated(config, "assets/form_kit.js", abs_src_path=str(script)))
        if forms:
            script = self.theme_dir / "assets" / "forms.js"
            out.append(File.generated(config, "assets/forms.js", abs_src_path=str(script)))
        if widget:
            for file in self._feedback_scripts(config, widget):
                out.append(file)
        return out

    def _feedback_scripts(self, config: MkDocsConfig, pages: list[str]) -> list[File]:
        """feedback.js and Leaflet (from npm, never a copy in the repository) for the widget's map,
        only on sites whose pages show it."""
        try:
            dist = Tools.find(self.root).require_package("leaflet", f"{LEAFLET_DIST}/leaflet.js").parent
        except ToolMissing as missing:
            raise PluginError(f"the feedback map on page '{pages[0]}' needs Leaflet: {missing}") from None
        files = [
            File.generated(config, "assets/feedback.js", abs_src_path=str(self.theme_dir / "assets" / "feedback.js"))
        ]
        for name in LEAFLET_FILES:
            files.append(File.generated(config, f"{LEAFLET_URL}{name}", abs_src_path=str(dist / name)))
        for image in sorted((dist / "images").glob("*.png")):
            files.append(File.generated(config, f"{LEAFLET_URL}images/{image.name}", abs_src_path=str(image)))
        return files

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
        env.filters["markdown"] = render_markdown
        env.globals["sitemap_excluded"] = {
            source.src_uri
            for source in self.sources.values()
            if source.kind in ("redirect", "components", "form_thanks")
        }
        return env

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

        return library(self.theme_dir, make_ks, url, self._render_markdown, "../assets/kunta.css")

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "404.html":
            lang = self.content.languages[0]
            texts = self.texts[lang]
            source = PageSource(
                url="",
                lang=lang,
                kind="not_found",
                title=texts("not_found.title"),
                markdown="",
                context={},
                key="404",
            )
            context["ks"] = {  # type: ignore[typeddict-unknown-key]
                "page": source,
                "site": self.site_data[lang],
                "t": texts,
                "statement": None,
            }
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        (site_dir / "_redirects").write_text(redirects_file(self.content), encoding="utf-8")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / self.config.shared_dir))
        server.watch(str(self.theme_dir))
        return server


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
) -> None:
    """Build one municipality with MkDocs into ``site_dir``; raises on any error or warning.

    ``statements`` (per language) are the accessibility statement written from the audit;
    without them the statement page says only what the law requires and how to give feedback."""
    from mkdocs.commands.build import build

    config = mkdocs_config(root, municipality_dir, site_dir, today)
    plugin = config.plugins["kuntasivu"]
    assert isinstance(plugin, KuntasivuPlugin)
    plugin.statements = statements
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def serve_site(root: Path, municipality_dir: Path, host: str, port: int) -> None:
    """Preview one municipality with live reload."""
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(
        str(root / "mkdocs.yml"),
        docs_dir=str(municipality_dir),
        dev_addr=f"{host}:{port}",
        livereload=True,
    )
