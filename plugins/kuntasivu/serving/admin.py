"""The headers of the browser editor (admin/, Decap CMS), which differ from the site's.

Decap is a third-party React application for staff. Under the site's policy it cannot run, so
/admin/ gets its own, opened only as far as Decap needs, each source with its reason:
- script-src 'unsafe-eval': Decap validates its config.yml with AJV, which compiles each JSON
  Schema into a function (new Function); without it the editor stops at "Error loading the CMS
  configuration". Its chunks load from admin/ itself ('self').
- style-src 'unsafe-inline': its styles are made at run time (emotion) as <style> elements and
  style attributes, different in every release, so no hash can list them.
- img-src data: blob:: previews of images chosen but not yet saved; plus the backend's avatars.
- connect-src: the backend's API (api.github.com, or the GitLab host's /api/v4 and its token
  endpoint for PKCE); with GitHub also www.githubstatus.com, which Decap asks whether GitHub is
  down so that it can say so instead of failing silently. Nothing else: the site's own files come
  from 'self', and GitHub's sign-in service (editor.base_url) is only opened as a popup window,
  which the policy does not govern.
- Cross-Origin-Opener-Policy same-origin-allow-popups: GitHub's sign-in runs in a popup (the OAuth
  service in editor.base_url) that hands the token back through window.opener; 'same-origin' would
  cut that link.
- X-Robots-Tag noindex: the sign-in page is nothing a search engine should list.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..content.loading import Content
from ..content.model import Editor

GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"
GITHUB_STATUS = "https://www.githubstatus.com"
GITLAB_COM = "https://gitlab.com"
GRAVATAR = "https://secure.gravatar.com"
"""GitLab shows the signed-in user's picture from Gravatar unless they uploaded their own."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def backend_sources(editor: Editor) -> tuple[list[str], list[str]]:
    """(connect-src, img-src) sources the editor's backend needs beyond 'self'."""
    if editor.backend == "github":
        return [GITHUB_API, GITHUB_STATUS], [GITHUB_AVATARS]
    if editor.backend == "gitlab":
        host = _origin(editor.base_url) if editor.base_url else GITLAB_COM
        return [host], [host, GRAVATAR]
    return [], []  # test-repo keeps everything in the page


def admin_policy(editor: Editor, https: bool) -> str:
    """The Content-Security-Policy of admin/."""
    connect, images = backend_sources(editor)
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", *images]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'", *connect]),
        ("frame-src", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("object-src", ["'none'"]),
        ("form-action", ["'self'"]),
    ]
    policy = [f"{name} {' '.join(sources)}" for name, sources in directives]
    if https:
        policy.append("upgrade-insecure-requests")
    return "; ".join(policy)


def admin_headers(content: Content, site_headers: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The headers of every response under admin/: the site's, with the editor's policy, the
    opener policy its sign-in needs and noindex. None when the site has no editor."""
    editor = content.site.item.editor
    if editor is None:
        return None
    https = urlsplit(content.site.item.site_url).scheme == "https"
    replaced = {
        "Content-Security-Policy": admin_policy(editor, https),
        "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
    }
    headers = [(name, replaced.get(name, value)) for name, value in site_headers]
    return [*headers, ("X-Robots-Tag", "noindex, nofollow")]
