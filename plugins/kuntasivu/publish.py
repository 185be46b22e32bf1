"""Publish a build only when it succeeded: build beside the live site, then swap it in.

The live folder ``public/<slug>/`` is replaced by two renames within one file system,
so a reader never sees a half-written site, and a failed build never touches it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path


def build_then_swap(out_dir: Path, slug: str, build: Callable[[Path], None]) -> Path:
    """Run ``build(tmp_dir)``; on success move tmp_dir to ``out_dir/slug``. Returns the live path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    live = out_dir / slug
    tmp = out_dir / f".tmp-{slug}"
    old = out_dir / f".old-{slug}"
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        build(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if live.exists():
        live.rename(old)
    tmp.rename(live)
    shutil.rmtree(old, ignore_errors=True)
    return live
