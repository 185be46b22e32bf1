"""Finding a character of a YAML text in the file, whatever way the text was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from kuntasivu.content.text_positions import TextPositions
from kuntasivu.content.yamlsource import Position, parse_yaml


def where(tmp_path: Path, yaml_text: str, key: str, needle: str) -> Position:
    path = tmp_path / "page.yml"
    path.write_text(yaml_text, encoding="utf-8")
    doc, errors = parse_yaml(path)
    assert not errors
    value = doc.data[key]
    return TextPositions(doc, (key,), value).at(value.index(needle))


@pytest.mark.parametrize(
    ("yaml_text", "line", "column"),
    [
        pytest.param("id: x\nbody: |\n  Eka rivi.\n\n  ## Otsikko\n", 5, 3, id="literal block"),
        pytest.param("id: x\nbody: |-\n  - lista\n  - ## Otsikko\n", 4, 5, id="block with header, list first"),
        pytest.param("id: x\nbody: >\n  Eka rivi\n  jatkuu.\n\n  ## Otsikko\n", 6, 3, id="folded block"),
        pytest.param("body: Eka rivi\n  jatkuu,## Otsikko\n", 2, 10, id="plain on two lines"),
        pytest.param('body: "Eka\\n\\n## Otsikko"\n', 1, 15, id="double-quoted with escapes"),
        pytest.param("body: 'Ei''kä\n\n  ## Otsikko'\n", 3, 3, id="single-quoted with '' and a blank line"),
        pytest.param("body:\n    fi: x\nbody2: |\n      ## Otsikko\n", 4, 7, id="deeper indentation"),
    ],
)
def test_markdown_offsets_map_to_file_positions(tmp_path: Path, yaml_text: str, line: int, column: int) -> None:
    key = "body2" if "body2" in yaml_text else "body"
    assert where(tmp_path, yaml_text, key, "## Otsikko") == Position(line, column)


def test_position_of_first_character_of_a_block(tmp_path: Path) -> None:
    assert where(tmp_path, "body: |\n    Alku\n", "body", "Alku") == Position(2, 5)


def test_an_offset_on_a_space_moves_to_the_next_word(tmp_path: Path) -> None:
    path = tmp_path / "page.yml"
    path.write_text("body: |\n  yksi\n\n  kaksi\n", encoding="utf-8")
    doc, _ = parse_yaml(path)
    positions = TextPositions(doc, ("body",), doc.data["body"])
    assert positions.at(doc.data["body"].index("\n")) == Position(4, 3)


def test_an_escaped_character_keeps_the_positions_inside_the_text(tmp_path: Path) -> None:
    # '\u00e4' is 'ä' in the value but six other characters in the file: the search for it must not
    # run on through the rest of the file and take every later character with it.
    text = 'body: "P\\u00e4\\u00e4kirjasto\\n\\n## Otsikko"\nmuu: ä ja Otsikko\n'
    assert where(tmp_path, text, "body", "## Otsikko") == Position(1, 33)
    assert where(tmp_path, text, "body", "kirjasto") == Position(1, 21)
