"""Where a character of a YAML text value stands in the file.

The loader remembers where each value starts; a Markdown body spans many lines, and block scalars
(``|``, ``>``), folded plain scalars and quoted strings with escapes all put the text's characters
somewhere else than "start + offset". We align the value with the file's source instead: each
non-space character of the value is found in order in the source, skipping what YAML removed
(indentation, line folds, quotes, escapes). Folding joins lines, so line numbers cannot simply be
counted from the value; the alignment does not care. A character the source spells differently
('\\u00e4' for 'ä') is not found before the scalar ends; it then stands where the search began, and
the next character is looked for from there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .yamlsource import Path_, Position, YamlDocument


def _lines(path: Path) -> tuple[str, ...]:
    # Keyed by modification time too: a file edited between two runs in one process is read again.
    return _read(path, path.stat().st_mtime_ns)


@cache
def _read(path: Path, mtime_ns: int) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


class TextPositions:
    """Maps offsets in the text value at ``path`` of ``doc`` to file positions."""

    def __init__(self, doc: YamlDocument, path: Path_, value: str) -> None:
        self.value = value
        start = doc.position(path)
        lines = _lines(doc.path)
        line, col = start.line - 1, start.column - 1
        if path in doc.block_scalars:  # the text starts on the line after '|' or '>' and its header
            line, col = line + 1, 0
        end = doc.ends.get(path)
        stop = (end.line - 1, end.column - 1) if end else (len(lines), 0)
        self._offsets: list[tuple[int, int]] = []
        for char in value:
            if char.isspace():
                self._offsets.append((line, col))
                continue
            found = self._find(lines, char, line, col, stop)
            if found is None:
                self._offsets.append((line, col))  # spelt otherwise in the source: stay put
                continue
            line, col = found
            self._offsets.append((line, col))
            col += 1

    @staticmethod
    def _find(lines: tuple[str, ...], char: str, line: int, col: int, stop: tuple[int, int]) -> tuple[int, int] | None:
        """Where ``char`` next stands from (line, col), before the scalar's end ``stop``; or None."""
        while (line, col) < stop and line < len(lines):
            if col < len(lines[line]) and lines[line][col] == char:
                return line, col
            col += 1
            if col >= len(lines[line]):
                line, col = line + 1, 0
        return None

    def at(self, offset: int) -> Position:
        """1-based position of the value's character ``offset`` (its first one for offsets past the end)."""
        if not self._offsets:
            return Position(1, 1)
        line, col = self._offsets[min(max(offset, 0), len(self._offsets) - 1)]
        # A space maps to where the alignment stood: skip on to the next real character.
        while offset < len(self.value) and self.value[offset].isspace():
            offset += 1
            if offset < len(self._offsets):
                line, col = self._offsets[offset]
        return Position(line + 1, col + 1)
