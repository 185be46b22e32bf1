"""Theme CSS and JavaScript under names that carry their content hash, and scripts served as one.

A file whose name holds its content hash never changes, so servers may let browsers keep it for
a year (``IMMUTABLE``); a new version is a new name, which the pages link to. Engine-neutral:
the MkDocs adapter decides which files a site serves.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from pathlib import Path

from .content.images import HASH_LENGTH, content_hash

FINGERPRINT = rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.(?:css|js)"
"""How the name of a fingerprinted style sheet or script ends (``assets/kunta.0123456789.css``),
as a regular expression: its one definition. serving/policy.py gives these files a one-year,
immutable cache."""
IMMUTABLE = re.compile(FINGERPRINT + "$")
"""FINGERPRINT at the end of a name or path: ``IMMUTABLE.search(name)`` says if it is fingerprinted."""


def fingerprinted(uri: str, data: bytes) -> str:
    """``assets/kunta.css`` with the hash of ``data`` before the extension: ``assets/kunta.<hash>.css``."""
    folder, name = posixpath.split(uri)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        raise ValueError(f"cannot fingerprint {uri!r}: the name has no extension")
    return posixpath.join(folder, f"{stem}.{content_hash(data)}.{extension}")


def bundle(scripts: Sequence[Path]) -> str:
    """Scripts joined in the order given, as one file: what separate deferred scripts would run,
    in one request. Each part is named in a comment; a ';' after each keeps a part that ends
    without one from running into the next."""
    parts = []
    for script in scripts:
        parts.append(f"/* --- {script.name} --- */\n{script.read_text('utf-8').rstrip()}\n;\n")
    return "".join(parts)
