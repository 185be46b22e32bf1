"""The feedback map's tile server as the Content-Security-Policy must name it.

Its own module, without the content model, so that both the model's validation (feedback.py)
and the serving policy (serving/policy.py) use the one rule."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")


def tile_server_source(tiles: str) -> str:
    """The Content-Security-Policy source that allows the map's tile server: 'https://tile.example.fi',
    or 'https://*.tile.example.fi' when a '{s}' placeholder picks the subdomain. Raises ValueError
    when the policy cannot allow the host: a placeholder elsewhere in it, or not a host name."""
    netloc = urlsplit(tiles).netloc.lower()
    host, colon, port = netloc.partition(":")
    labels = host.split(".")
    if labels[0].startswith("{") and labels[0].endswith("}") and len(labels) > 2:
        labels[0] = "*"
    if any("{" in label or "}" in label for label in labels) or "{" in port:
        raise ValueError(
            f"the tile server's host '{netloc}' has a placeholder the Content-Security-Policy cannot allow; "
            "only a whole first label may vary, as in https://{s}.tile.example.fi/{z}/{x}/{y}.png"
        )
    named = labels[1:] if labels[0] == "*" else labels
    if not all(_HOST_LABEL.fullmatch(label) for label in named) or (colon and not port.isdigit()):
        raise ValueError(
            f"the tile server's host '{netloc}' is not a host name; write the address as"
            " https://tile.example.fi/{z}/{x}/{y}.png"
        )
    return f"https://{'.'.join(labels)}{colon}{port}"
