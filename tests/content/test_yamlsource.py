"""YAML is read with the YAML 1.2 core rules and every value keeps its position."""

from __future__ import annotations

from pathlib import Path

import pytest
from kuntasivu.content import yamlsource
from kuntasivu.content.yamlsource import Position, parse_yaml


def parse(text: str):
    doc, errors = parse_yaml(Path("x.yml"), text)
    assert errors == []
    return doc


def test_words_that_yaml_1_1_turns_into_booleans_stay_text() -> None:
    doc = parse("a: no\nb: on\nc: ja\nd: off\ne: true\nf: False\n")
    assert doc.data == {"a": "no", "b": "on", "c": "ja", "d": "off", "e": True, "f": False}


def test_clock_times_and_dates_stay_text() -> None:
    doc = parse("hours: 8:00\nday: 2026-11-20\nphone: 02 577 211\n")
    assert doc.data == {"hours": "8:00", "day": "2026-11-20", "phone": "02 577 211"}


def test_numbers_keep_what_the_author_wrote() -> None:
    doc = parse("order: 10\nphone: 0401234567\nlat: 61.8\n")
    assert doc.data == {"order": 10, "phone": 401234567, "lat": 61.8}
    assert doc.raw[("phone",)] == "0401234567"


def test_positions_of_values_keys_and_block_text() -> None:
    doc = parse("title: Kirjasto\nblocks:\n  - type: faq\n    items: []\nbody: |\n  one\n  two\n")
    assert doc.position(("title",)) == Position(1, 8)
    assert doc.position(("title",), prefer_key=True) == Position(1, 1)
    assert doc.position(("blocks", 0, "type")) == Position(3, 11)
    assert doc.position(("blocks", 0, "missing")) == Position(3, 5)


def test_syntax_error_is_an_error_with_position_not_an_exception() -> None:
    _, errors = parse_yaml(Path("x.yml"), "a: [1, 2\nb: 3\n")
    assert len(errors) == 1
    assert errors[0].line == 2
    assert errors[0].message.startswith("YAML syntax error:")


def test_duplicate_keys_are_errors() -> None:
    _, errors = parse_yaml(Path("x.yml"), "a: 1\nb: 2\na: 3\n")
    assert [(e.line, e.column, e.message) for e in errors] == [
        (3, 1, "duplicate key 'a' (first given on line 1); remove one of them")
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("title: Kirjasto ja pyörä\n".encode("latin-1"))
    _, errors = parse_yaml(path)
    assert len(errors) == 1
    assert "save it as UTF-8" in errors[0].message


def test_libyaml_and_pyyaml_read_every_content_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # LibYAML reads the files when PyYAML has it; PyYAML's own parser where it has not and for
    # files LibYAML refuses. Both must give the same values at the same places.
    root = Path(__file__).resolve().parents[2]
    files = sorted([*root.glob("municipalities/**/*.yml"), *root.glob("site_src/**/*.yml")])
    files += sorted((root / "tests" / "fixtures" / "municipalities").glob("**/*.yml"))
    assert yamlsource._FastNodeLoader is not None, "PyYAML without LibYAML: the fast path is not tested"
    fast = [parse_yaml(path) for path in files]
    monkeypatch.setattr(yamlsource, "_FastNodeLoader", None)
    for path, (doc, errors) in zip(files, fast, strict=True):
        slow, slow_errors = parse_yaml(path)
        assert (doc.data, doc.values, doc.keys, doc.ends, doc.block_scalars, doc.raw) == (
            slow.data,
            slow.values,
            slow.keys,
            slow.ends,
            slow.block_scalars,
            slow.raw,
        ), path
        assert errors == slow_errors, path


def test_a_file_libyaml_refuses_gets_pyyamls_message() -> None:
    _, errors = parse_yaml(Path("x.yml"), "title: Kirjasto\nsummary: a: b\n")
    assert errors[0].message == "YAML syntax error: mapping values are not allowed here"
    assert (errors[0].line, errors[0].column) == (2, 11)


@pytest.mark.parametrize(
    "text",
    [
        "a: b\tc\n",  # 'ma–pe<tab>8–16' pasted from a spreadsheet
        "a: b\t\n",
        "a:\tb\n",
        "a: [1,\t2]\n",
        "a: {\n\tb: 1\n}\n",
        "a: |\t\n  x\n",
        "a: \x0b x\n",
        "a: !!int abc\n",
        "a: &x [1, *x]\n",
    ],
)
def test_awkward_files_read_the_same_with_and_without_libyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_doc, fast_errors = parse_yaml(Path("x.yml"), text)
    monkeypatch.setattr(yamlsource, "_FastNodeLoader", None)
    slow_doc, slow_errors = parse_yaml(Path("x.yml"), text)
    assert (fast_doc.data, fast_errors) == (slow_doc.data, slow_errors)


def test_awkward_files_give_errors_never_exceptions() -> None:
    def message(text: str) -> tuple[int, int, str]:
        _, errors = parse_yaml(Path("x.yml"), text)
        return errors[0].line, errors[0].column, errors[0].message

    assert message("a: b\tc\n")[2].endswith("; indent and separate with spaces, not tabs")
    assert message("title: x\nb: y\x07z\n")[:2] == (2, 5)
    assert "invisible control character (U+0007)" in message("title: x\nb: y\x07z\n")[2]
    assert "used inside itself" in message("a: &x [1, *x]\n")[2]
    assert parse_yaml(Path("x.yml"), "order: !!int kymmenen\n")[0].data == {"order": "kymmenen"}  # the model objects
