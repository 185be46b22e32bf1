"""Browser editing: the Decap CMS admin/ of each site (decap.py derives its configuration from the
content schemas, admin.py writes the folder into the built site).

is_admin lives here, free of heavy imports, because the parts of the build that leave the editor out
(the accessibility gate, the page weight budget, the serving scan) import it. ADMIN_DIR is the
content core's (content/pages.py), as robots.txt names it too."""

from ..content.pages import ADMIN_DIR

__all__ = ["ADMIN_DIR", "is_admin"]


def is_admin(relative: str) -> bool:
    """Whether a path below the site root (``admin/index.html``, ``/admin/``) is the editor's."""
    return relative.lstrip("/").split("/", 1)[0] == ADMIN_DIR
