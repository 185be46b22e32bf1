"""Reading the build's exports (forms/<id>.json, feedback.json): JSON validated against their
schema and their own checks, and kept per file until the file changes (mtime and size are
checked on every lookup, so a new build is picked up without a restart)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import jsonschema

log = logging.getLogger(__name__)

T = TypeVar("T")


def localized(text: dict[str, str] | None, lang: str, languages: tuple[str, ...] | list[str]) -> str:
    """A text of an export in ``lang``, else in the site's default language (the first)."""
    if not text:
        return ""
    return text.get(lang) or text.get(languages[0]) or next(iter(text.values()))


class ExportError(Exception):
    """An export that is not valid; the message names the file and the place in it."""


@cache
def schema_validator(schema_path: Path) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def read_export(
    path: Path,
    schema_path: Path,
    build: Callable[[dict[str, Any]], T],
    check: Callable[[T, Path], list[str]],
    error: type[ExportError],
    what: str,
) -> T:
    """Read, validate against the schema, build and check one export; raises ``error``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{path}: cannot read the {what}: {exc}") from None
    problem = jsonschema.exceptions.best_match(schema_validator(schema_path).iter_errors(data))
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "(top)"
        raise error(f"{path}: {where}: {problem.message}")
    built = build(data)
    problems = check(built, path)
    if problems:
        raise error(f"{path}: " + "; ".join(problems))
    return built


class ExportCache(Generic[T]):
    """Loaded exports by path. A file that became invalid keeps its last valid version (and is
    logged), so a bad build never breaks what worked."""

    def __init__(self, load: Callable[[Path], T], what: str) -> None:
        self._load = load
        self._what = what
        self._cache: dict[Path, tuple[tuple[int, int], T]] = {}
        self._lock = threading.Lock()

    def load(self, path: Path) -> T:
        """Load now, raising ExportError for an invalid file (used at startup)."""
        loaded = self._load(path)
        stat = path.stat()
        with self._lock:
            self._cache[path] = ((stat.st_mtime_ns, stat.st_size), loaded)
        return loaded

    def get(self, path: Path) -> T | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            loaded = self._load(path)
        except ExportError as exc:
            log.error("invalid %s, keeping the previous version: %s", self._what, exc)
            return cached[1] if cached is not None else None
        with self._lock:
            self._cache[path] = (key, loaded)
        return loaded
