"""Read YAML into plain Python data while remembering where every value came from.

PyYAML's composer keeps a mark (line, column) on every node; we build the data
ourselves from the nodes so that each value's position can be looked up by its
path (``("blocks", 0, "title")``) when validation later complains about it.

Scalars are resolved by the YAML 1.2 core schema rules, not YAML 1.1: ``no``,
``on`` and ``off`` stay text (Swedish "ja"/"nej" and Finnish words must not turn
into booleans) and ``8:00`` stays text (YAML 1.1 reads it as the integer 480).
Dates and times are left as text and parsed by the content model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import ContentError

Path_ = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema: only these plain scalars are not strings."""


_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


class _NodeLoader(Reader, Scanner, Parser, Composer, _CoreResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)


_FastNodeLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _CNodeLoader(CParser, _CoreResolver):
        """The same nodes (and marks) from LibYAML's parser, several times faster than PyYAML's own:
        reading every file is most of what `kuntasivu lint` does. The scalars are still resolved by
        _CoreResolver. A file LibYAML refuses is read again by _NodeLoader, whose messages the
        guides quote."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _CoreResolver.__init__(self)

    _FastNodeLoader = _CNodeLoader


@dataclass(frozen=True)
class Position:
    """1-based line and column in a file."""

    line: int
    column: int


@dataclass
class YamlDocument:
    """One YAML file: its data and where each value (and mapping key) stands."""

    path: Path
    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    # Block scalars (``|`` / ``>``) start on the line after their mark; line
    # offsets inside a multi-line text need to know that.
    block_scalars: set[Path_] = field(default_factory=set)
    # The source text of scalars that YAML read as numbers or booleans, so that a message can
    # quote what the author wrote ('0401234567', not 401234567).
    raw: dict[Path_, str] = field(default_factory=dict)
    # Where each scalar ends (just past its last character): positions inside a text stay inside it.
    ends: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_, *, prefer_key: bool = False) -> Position:
        """The closest known position for ``path``: the value, else its key, else a parent."""
        probe = tuple(path)
        while True:
            if prefer_key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return Position(1, 1)
            probe = probe[:-1]


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if not _INT.match(value):  # '!!int abc': the value is kept as written, and the model says what is wrong
            return value
        if value.startswith(("0x", "0o")):
            return int(value[2:], 16 if value[1] == "x" else 8)
        return int(value)
    if tag == "tag:yaml.org,2002:float":
        if not _FLOAT.match(value) and not _INT.match(value):
            return value
        lowered = value.lower()
        if lowered.endswith("inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered.endswith("nan"):
            return float("nan")
        return float(value)
    return value


class _Builder:
    def __init__(self, doc: YamlDocument, errors: list[ContentError]) -> None:
        self.doc = doc
        self.errors = errors

    def build(self, node: Node, path: Path_) -> Any:
        self.doc.values[path] = _pos(node)
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                self.doc.block_scalars.add(path)
            self.doc.ends[path] = Position(node.end_mark.line + 1, node.end_mark.column + 1)
            value = _scalar(node)
            if not isinstance(value, str):
                self.doc.raw[path] = node.value
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self._error(key_node, path, "a key must be a plain word, not a list or mapping")
                    continue
                key = _scalar(key_node)
                key = key if isinstance(key, str) else str(key_node.value)
                if key in result:
                    first = self.doc.keys[(*path, key)]
                    self._error(
                        key_node,
                        (*path, key),
                        f"duplicate key '{key}' (first given on line {first.line}); remove one of them",
                    )
                    continue
                self.doc.keys[(*path, key)] = _pos(key_node)
                result[key] = self.build(value_node, (*path, key))
            return result
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has only three

    def _error(self, node: Node, path: Path_, message: str) -> None:
        pos = _pos(node)
        self.errors.append(ContentError(self.doc.path, pos.line, pos.column, _dotted(path), message))


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_yaml(path: Path, text: str | None = None) -> tuple[YamlDocument, list[ContentError]]:
    """Parse one YAML file. Syntax errors come back as errors, never as exceptions."""
    doc = YamlDocument(path=path, data=None)
    errors: list[ContentError] = []
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(ContentError(path, 1, 1, "", f"file is not UTF-8 text ({exc.reason}); save it as UTF-8"))
        return doc, errors
    node = _fast_node(text)
    if node is None:
        try:
            loader = _NodeLoader(text)  # checks every character first
        except ReaderError as exc:
            errors.append(_control_character(path, text, exc))
            return doc, errors
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or "invalid YAML"
            context = f" ({exc.context})" if exc.context else ""
            tab = "; indent and separate with spaces, not tabs" if "'\\t'" in problem else ""
            errors.append(ContentError(path, line, col, "", f"YAML syntax error: {problem}{context}{tab}"))
            return doc, errors
        finally:
            loader.dispose()
    if node is None:
        return doc, errors
    try:
        doc.data = _Builder(doc, errors).build(node, ())
    except RecursionError:
        errors.append(
            ContentError(path, 1, 1, "", "an anchor (&name) is used inside itself (*name); write the value out")
        )
        doc.data = None
    return doc, errors


def _control_character(path: Path, text: str, exc: ReaderError) -> ContentError:
    """A character YAML does not allow, e.g. a vertical tab pasted from a word processor."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return ContentError(
        path,
        line,
        column,
        "",
        f"the file has an invisible control character (U+{character:04X}) here; delete it"
        " (it often comes with text pasted from a word processor)",
    )


def _fast_node(text: str) -> Node | None:
    """The document's root node from LibYAML, or None: no LibYAML, an empty document, or an error
    (which the pure-Python parser then reports in its own words). A file with a tab goes to the
    pure-Python parser too: LibYAML accepts tabs in places PyYAML refuses ('ma–pe<tab>8–16' pasted
    from a spreadsheet), and a file must not load on one machine and fail on another."""
    if _FastNodeLoader is None or "\t" in text:
        return None
    loader = _FastNodeLoader(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


dotted_path = _dotted
