"""The staff guides (docs/opas.md, docs/guide.md) stay true to the code they describe.

A guide for communications officers is only useful while every command it names exists, every
file it points to is there, and every example file it shows would really build: a guide that
shows a field the loader refuses teaches the error it was meant to prevent. The two languages
must also stay the same guide, so their heading outlines must match.

An example is a "full file" when its first line is the `# yaml-language-server: $schema=` line
that real content files start with; the `<!-- example-file: PATH -->` comment before it says
where it belongs. Such an example is checked against its model and loaded, in place of the real
file, as part of a copy of that municipality, so references (sections, forms, pages) are checked
as the build checks them.
"""

from __future__ import annotations

import argparse
import itertools
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from kuntasivu.cli import parser
from kuntasivu.content.errors import ContentErrors
from kuntasivu.content.forms import Form
from kuntasivu.content.loading import load_content
from kuntasivu.content.model import Event, NewsItem, Page, Site
from kuntasivu.content.validation import validation_errors
from kuntasivu.content.yamlsource import parse_yaml
from kuntasivu.editor.decap import MISSING_LANGUAGE
from kuntasivu.lint.alt_text import MAX_ALT
from kuntasivu.lint.plain_language import PARAGRAPH_WORDS, SENTENCE_CHARS, SENTENCE_WORDS
from PIL import Image
from pydantic import BaseModel, ValidationError

from tests.conftest import ROOT

GUIDES = (ROOT / "docs" / "opas.md", ROOT / "docs" / "guide.md")

MODELS: dict[str, type[BaseModel]] = {"site": Site, "page": Page, "news": NewsItem, "event": Event, "form": Form}
"""Schema name in the `$schema=` line → the model that content file is loaded with."""
FOLDER_KIND = {"pages": "page", "news": "news", "events": "event", "forms": "form"}
"""A municipality's content folder → the kind of file it holds."""

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<rel>\S*?schemas/(?P<kind>[a-z]+)\.schema\.json)$")
EXAMPLE_FILE = re.compile(r"^<!-- example-file: (?P<path>\S+) -->$")
EXAMPLE_PART = re.compile(r"^<!-- example-part: (?P<path>\S+) -->$")
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):", re.MULTILINE)
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
"""A fence, also indented inside a list item; the block's lines lose that indentation."""
HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<text>.+?)\s*$")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")
COMMAND = re.compile(
    r"(?:^|[ \t(]|bin/)kuntasivu(?:[ \t]+--?[a-z][\w-]*(?:[ =][^\s-]\S*)?)*[ \t]+(?P<sub>[a-z][a-z-]*)", re.MULTILINE
)
"""`kuntasivu SUB` or `.venv/bin/kuntasivu --root X SUB` on one line; not `owner/kuntasivu` in a repository name."""
MAKE = re.compile(r"(?:^|\s)make\s+(?P<target>[a-z][\w-]*)(?!=)")
REPO_PATH = re.compile(
    r"(?<![\w./<-])(?P<path>(?:municipalities|site_src|docs|schemas|plugins|themes|\.github)(?:/[\w.-]+)*/?"
    r"|\.gitlab-ci\.yml|README\.md|Makefile)"
)
MAKE_TARGET = re.compile(r"^(?P<names>[A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*)*)\s*:(?!=)", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, its text, the line it starts on and the line before it."""

    lang: str
    text: str
    line: int
    before: str


@dataclass(frozen=True)
class Guide:
    path: Path
    prose: list[tuple[int, str]]
    """(line number, line) outside fenced blocks."""
    blocks: list[Block]


def read_guide(path: Path, text: str | None = None) -> Guide:
    prose: list[tuple[int, str]] = []
    blocks: list[Block] = []
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    open_fence: tuple[str, int, str, int] | None = None
    body: list[str] = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        fence = FENCE.match(line)
        if open_fence is None:
            if fence:
                open_fence, body = (fence["lang"], number, previous, len(fence["indent"])), []
            else:
                prose.append((number, line))
                if line.strip():
                    previous = line.strip()
        elif line.strip() == "```":
            lang, start, before, _ = open_fence
            blocks.append(Block(lang, "\n".join(body) + "\n", start, before))
            open_fence, previous = None, ""
        else:
            body.append(line[open_fence[3] :] if line[: open_fence[3]].isspace() else line)
    assert open_fence is None, f"{path}:{open_fence[1]}: code block is never closed"
    return Guide(path, prose, blocks)


def headings(guide: Guide) -> list[tuple[int, int, str]]:
    """(line, level, text) of every Markdown heading outside code blocks."""
    found = []
    for number, line in guide.prose:
        match = HEADING.match(line)
        if match:
            found.append((number, len(match["hashes"]), match["text"]))
    return found


def heading_problems(guide: Guide) -> list[str]:
    """One h1, first; no level skipped on the way down."""
    found = headings(guide)
    problems = []
    if [level for _, level, _ in found].count(1) != 1 or not found or found[0][1] != 1:
        problems.append(f"{guide.path}: the guide needs exactly one '#' heading, as its first heading")
    for (_, previous, _), (line, level, text) in itertools.pairwise(found):
        if level > previous + 1:
            problems.append(f"{guide.path}:{line}: heading '{text}' is level {level} after level {previous}")
    return problems


def code_texts(guide: Guide) -> Iterator[tuple[int, str]]:
    """Everything set as code: fenced blocks and inline `code` spans in the prose."""
    for block in guide.blocks:
        yield block.line, block.text
    for number, line in guide.prose:
        for span in INLINE_CODE.findall(line):
            yield number, span


def subcommands() -> set[str]:
    for action in parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("kuntasivu's parser has no subcommands")


def make_targets(makefile: Path = ROOT / "Makefile") -> set[str]:
    text = makefile.read_text(encoding="utf-8")
    return {name for match in MAKE_TARGET.finditer(text) for name in match["names"].split()}


def unknown_commands(guide: Guide, commands: set[str], targets: set[str]) -> list[str]:
    problems = []
    for line, text in code_texts(guide):
        for match in COMMAND.finditer(text):
            if match["sub"] not in commands:
                problems.append(f"{guide.path}:{line}: 'kuntasivu {match['sub']}' is not a kuntasivu command")
        for match in MAKE.finditer(text):
            if match["target"] not in targets:
                problems.append(f"{guide.path}:{line}: 'make {match['target']}' is not a Makefile target")
    return problems


def missing_paths(guide: Guide, root: Path = ROOT) -> list[str]:
    problems = []
    lines = [*guide.prose, *((b.line, b.text) for b in guide.blocks)]
    for number, text in lines:
        for match in REPO_PATH.finditer(text):
            if not (root / match["path"]).exists():
                problems.append(f"{guide.path}:{number}: {match['path']} does not exist")
    return problems


def github_anchor(heading: str) -> str:
    """The fragment GitHub and GitLab give a heading: lower case, punctuation dropped, spaces to '-'."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


def link_problems(guide: Guide, generic: set[str]) -> list[str]:
    anchors = {github_anchor(text) for _, _, text in headings(guide)}
    problems = []
    for number, line in guide.prose:
        for match in LINK.finditer(INLINE_CODE.sub("", line)):  # `[Kirjasto](page:kirjasto)` is shown, not linked
            text, target = match["text"], match["target"]
            if text.strip().lower() in generic:
                problems.append(f"{guide.path}:{number}: link text '{text}' does not say where it goes")
            if target.startswith("#"):
                if target[1:] not in anchors:
                    problems.append(f"{guide.path}:{number}: no heading for the link '{target}'")
            elif "://" not in target and not (guide.path.parent / target.split("#")[0]).exists():
                problems.append(f"{guide.path}:{number}: link target {target} does not exist")
    return problems


def generic_link_texts() -> set[str]:
    texts: set[str] = set()
    for path in (ROOT / "site_src" / "texts").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.update(t.strip().lower() for t in data["checks"]["generic_links"].split("|"))
    return texts


@dataclass(frozen=True)
class Example:
    """A YAML example: a whole file (``kind`` and ``schema_rel`` from its first line) or a part of
    one (``kind`` is None), with the file it belongs in."""

    guide: Path
    line: int
    target: str
    kind: str | None
    schema_rel: str
    text: str


def yaml_examples(guide: Guide) -> list[Example]:
    """Every ```yaml block; each must say which file it is, or is part of, so it can be checked."""
    examples = []
    for block in (b for b in guide.blocks if b.lang == "yaml"):
        where = f"{guide.path}:{block.line}"
        schema = SCHEMA_LINE.match(block.text.splitlines()[0] if block.text.strip() else "")
        whole, part = EXAMPLE_FILE.match(block.before), EXAMPLE_PART.match(block.before)
        if schema is not None:
            assert whole, f"{where}: a full-file example needs '<!-- example-file: PATH -->' on the line before it"
            examples.append(Example(guide.path, block.line, whole["path"], schema["kind"], schema["rel"], block.text))
        else:
            assert part, (
                f"{where}: a YAML example needs '<!-- example-part: PATH -->' (or, for a whole file, its"
                " '# yaml-language-server' first line and '<!-- example-file: PATH -->') on the line before it"
            )
            examples.append(Example(guide.path, block.line, part["path"], None, "", block.text))
    return examples


def splice(original: str, part: str) -> str:
    """``original`` with each top-level key of ``part`` replaced by (or added as) the part's version."""
    keys = {match[1] for match in TOP_KEY.finditer(part)}
    kept, skipping = [], False
    for line in original.splitlines(keepends=True):
        top = TOP_KEY.match(line)
        if top is not None:
            skipping = top[1] in keys
        elif line.strip() and line[:1] not in (" ", "-"):
            skipping = False  # a comment at the margin belongs to what follows
        if not skipping:
            kept.append(line)
    return "".join(kept).rstrip("\n") + "\n" + part


def example_problems(example: Example, scratch: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with an example, as the loader says it when the example stands in its file;
    [] when the municipality loads with it."""
    where = f"{example.guide}:{example.line}"
    parts = Path(example.target).parts
    if len(parts) < 3 or parts[0] != "municipalities":
        return [f"{where}: {example.target} is not in municipalities/<slug>/"]
    slug, original = parts[1], root / example.target
    if example.kind is None:
        if not original.is_file():
            return [f"{where}: example-part of {example.target}, which does not exist"]
        text = splice(original.read_text(encoding="utf-8"), example.text)
    else:
        expected = "site" if parts[2:] == ("site.yml",) else FOLDER_KIND.get(parts[2])
        if example.kind not in MODELS or example.kind != expected:
            return [f"{where}: a {example.kind} schema line on a file in {'/'.join(parts[:3])}"]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(example.target), example.schema_rel))
        if resolved != f"schemas/{example.kind}.schema.json":
            return [f"{where}: $schema={example.schema_rel} does not lead to schemas/ from {example.target}"]
        doc, errors = parse_yaml(Path(example.target), example.text)
        if not errors:
            try:
                MODELS[example.kind].model_validate(doc.data)
            except ValidationError as exc:
                errors = validation_errors(doc, MODELS[example.kind], exc)
        if errors:
            return [f"{where}: {e.format()}" for e in errors]
        text = example.text
    copy = scratch / slug
    shutil.copytree(root / "municipalities" / slug, copy)
    (scratch / Path(*parts[1:])).write_text(text, encoding="utf-8")
    try:
        load_content(copy, root / "site_src")
    except ContentErrors as exc:
        return [f"{where}: {e.format(scratch)}" for e in exc.errors]
    return []


# --- the guides ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guides() -> list[Guide]:
    return [read_guide(path) for path in GUIDES]


def test_headings_do_not_skip_levels(guides: list[Guide]) -> None:
    assert [p for g in guides for p in heading_problems(g)] == []


def test_both_languages_have_the_same_outline(guides: list[Guide]) -> None:
    outlines = [[level for _, level, _ in headings(g)] for g in guides]
    assert len(outlines[0]) >= 10, "the guide has lost its sections"
    assert outlines[0] == outlines[1], "docs/opas.md and docs/guide.md must have the same headings, level by level"


def test_every_command_and_make_target_exists(guides: list[Guide]) -> None:
    commands, targets = subcommands(), make_targets()
    named = {m["sub"] for g in guides for _, t in code_texts(g) for m in COMMAND.finditer(t)}
    assert {"lint", "serve", "build"} <= named, "the guides should show lint, serve and build"
    assert [p for g in guides for p in unknown_commands(g, commands, targets)] == []


def test_every_repository_path_exists(guides: list[Guide]) -> None:
    assert [p for g in guides for p in missing_paths(g)] == []


def test_links_are_descriptive_and_lead_somewhere(guides: list[Guide]) -> None:
    assert [p for g in guides for p in link_problems(g, generic_link_texts())] == []


def test_yaml_examples_build_in_their_municipality(guides: list[Guide], tmp_path: Path) -> None:
    per_guide = [yaml_examples(g) for g in guides]
    for examples in per_guide:
        assert {e.kind for e in examples} >= {"news", "event", "page", "form", None}
    assert [e.target for e in per_guide[0]] == [e.target for e in per_guide[1]], "both guides show the same examples"
    problems = []
    for number, example in enumerate(e for examples in per_guide for e in examples):
        problems += example_problems(example, tmp_path / str(number))
    assert problems == []


def test_the_editors_message_for_a_missing_language_is_quoted_as_it_is() -> None:
    for path in GUIDES:
        text = " ".join(path.read_text(encoding="utf-8").split())  # the guides wrap their lines
        assert f'"{MISSING_LANGUAGE}"' in text, path


def test_the_lint_limits_are_the_real_ones() -> None:
    fi, en = (path.read_text(encoding="utf-8") for path in GUIDES)
    assert f"yli {MAX_ALT} merkkiä" in fi and f"over {MAX_ALT} characters" in en
    fi_words, sv_words = (SENTENCE_WORDS["fi"], PARAGRAPH_WORDS["fi"]), (SENTENCE_WORDS["sv"], PARAGRAPH_WORDS["sv"])
    assert SENTENCE_WORDS["sv"] == SENTENCE_WORDS["en"] and PARAGRAPH_WORDS["sv"] == PARAGRAPH_WORDS["en"]
    assert (
        f"yli {fi_words[0]} sanan virkkeet ja yli {fi_words[1]} sanan kappaleet suomeksi; ruotsiksi ja englanniksi"
        f" yli {sv_words[0]} ja {sv_words[1]} sanan; lisäksi yli {SENTENCE_CHARS} merkin virkkeet"
    ) in fi
    assert (
        f"sentences over {fi_words[0]} words and paragraphs over {fi_words[1]} words in Finnish,"
        f" over {sv_words[0]} and {sv_words[1]} in Swedish and English, and sentences over {SENTENCE_CHARS} characters"
    ) in en


# --- the output the guides quote is what the commands print --------------------------------

NEWS = "news/2026-11-kirjastoauton-talviaikataulu.yml"
EVENT = "events/2027-03-digitukipaiva-kirjastossa.yml"
END = ""
"""Replace END with the new text: append it to the file."""
Edit = tuple[str, str, str]
"""File under the municipality, text that occurs exactly once (or END), its replacement."""

PLANTED: dict[str, dict[str, list[Edit]]] = {
    "typos": {
        "karvia": [
            (NEWS, "title: Kirjastoauton", "tittle: Kirjastoauton"),
            (EVENT, "start: 2027-03-10T09:00", "start: 2027-03-10T9:00"),
        ],
    },
    "more": {
        "karvia": [
            (EVENT, "registration_form: digituki-ajanvaraus", "registration_form: digituki-ajanvaus"),
            (NEWS, END, "image:\n  src: assets/kirjastoauto.jpg\n"),
        ],
        "lohja": [("pages/kirjasto.yml", "  sv: Bibliotek\n", "")],
        "jamijarvi": [
            (
                "news/2026-10-uimarannan-laituri-uusitaan.yml",
                "title: Kirkonkylän uimarannan laituri uusitaan talven aikana",
                "title: Huom: uimarannan laituri uusitaan",
            )
        ],
    },
    "schema": {"karvia": [(NEWS, "# yaml-language-server: $schema=../../../schemas/news.schema.json\n", "")]},
    "lint": {
        "karvia": [
            (NEWS, "sivulta [Kirjasto](page:kirjasto).", "sivulta [lue lisää](page:kirjasto)."),
            (NEWS, END, "image:\n  src: assets/kirjastoauto.jpg\n  alt: kuva\n"),
            ("site.yml", "  until: 2027-06-30\n  page: vesihuolto", "  until: 2026-10-31\n  page: vesihuolto"),
            ("pages/kirjasto.yml", "  ## Palvelut\n", "  #### Palvelut\n"),
            (
                "pages/kirjasto.yml",
                "  ja noutaa sen Karvian kirjastosta.\n",
                "  ja noutaa sen Karvian kirjastosta, ja jos aineisto on lainassa, voit jättää siitä varauksen,"
                " jolloin saat ilmoituksen tekstiviestillä tai sähköpostilla, kun aineisto on noudettavissa"
                " kirjaston varaushyllystä, josta sen voi noutaa aukioloaikoina tai omatoimiaikana"
                " kirjastokortilla ja PIN-koodilla.\n",
            ),
        ],
    },
}
"""The mistakes the guides' examples were made with, per run: the same edits must give the same lines."""

QUOTED = re.compile(
    r"^(?:municipalities/\S+:\d+: |kuntasivu schema: |\[1/1\] karvia: (?:building…|FAILED — fix the errors above)"
    r"|\d+ errors? in content|\d+ of \d+ sites failed|\d+ errors?, \d+ warnings?\.)"
)
"""Lines of the guides' output examples that the runs below reproduce. The accessibility gate's
lines (a full build in Chromium) and the preview's (a server) are left to their own tests."""


def plant(project: Path, edits: dict[str, list[Edit]]) -> None:
    for slug, changes in edits.items():
        folder = project / "municipalities" / slug
        if not folder.exists():
            shutil.copytree(ROOT / "municipalities" / slug, folder)
        for name, old, new in changes:
            path = folder / name
            text = path.read_text(encoding="utf-8")
            if old == END:
                text = text.rstrip("\n") + "\n" + new
            else:
                assert text.count(old) == 1, f"municipalities/{slug}/{name} no longer has {old!r} once: update PLANTED"
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")


def run(project: Path, *args: str) -> set[str]:
    """The lines a failing command prints, run in ``project`` on its municipalities."""
    where = ("--municipalities-dir", "municipalities") if args[0] != "schema" else ()
    result = subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", "--root", str(project if not where else ROOT), *args, *where],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return set((result.stdout + result.stderr).splitlines())


def test_quoted_output_is_what_the_commands_print(guides: list[Guide], tmp_path: Path) -> None:
    projects = {name: tmp_path / name for name in PLANTED}
    for name, project in projects.items():
        plant(project, PLANTED[name])
    Image.new("RGB", (4000, 2600), (90, 120, 160)).save(
        projects["lint"] / "municipalities" / "karvia" / "assets" / "kirjastoauto.jpg", quality=80
    )
    for name in ("mkdocs.yml", "site_src", "schemas"):  # `schema --check` checks a whole project
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, projects["schema"] / name)
    build = ("build", "--out", "public", "--reports", "reports", "--cache-dir", "cache")
    printed = (
        run(projects["typos"], *build, "karvia")
        | run(projects["more"], *build, "karvia", "lohja", "jamijarvi")
        | run(projects["lint"], "lint", "--today", "2026-11-26", "karvia")
        | run(projects["schema"], "schema", "--check")
    )
    for guide in guides:
        quoted = [
            (block.line, line)
            for block in guide.blocks
            if block.lang == "text"
            for line in block.text.splitlines()
            if QUOTED.match(line)
        ]
        assert len(quoted) >= 15, f"{guide.path}: the output examples are gone"
        assert [f"{guide.path}:{n}: {line}" for n, line in quoted if line not in printed] == []


def test_the_preview_texts_quoted_are_the_real_ones() -> None:
    preview = yaml.safe_load((ROOT / "site_src" / "texts" / "fi.yml").read_text(encoding="utf-8"))["preview"]
    quoted = (preview["heading_many"].format(count=2), preview["location"].format(line=4, column=1))
    for path in GUIDES:
        text = path.read_text(encoding="utf-8")
        assert all(f'"{q}"' in text for q in quoted), f"{path}: quote the preview page as it is: {quoted}"


def test_readme_links_to_both_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/opas.md)" in readme and "(docs/guide.md)" in readme


# --- the checks themselves catch what they are for -------------------------------------------


def _guide(text: str, name: str = "opas.md") -> Guide:
    return read_guide(ROOT / "docs" / name, text)


def test_a_skipped_heading_level_is_found() -> None:
    guide = _guide("# Opas\n\n## Uutinen\n\n#### Vaiheet\n\n```yaml\n# not a heading\n```\n")
    assert heading_problems(guide) == [f"{ROOT / 'docs' / 'opas.md'}:5: heading 'Vaiheet' is level 4 after level 2"]
    assert heading_problems(_guide("## Alku\n\n# Opas\n")) != []


def test_unknown_commands_and_targets_are_found() -> None:
    guide = _guide(
        "# Opas\n\nAja `kuntasivu lint karvia` ja `kuntasivu preview karvia`.\n\n"
        "```sh\nmake serve M=karvia\nmake deploy\n.venv/bin/kuntasivu --root . lint\n```\n\n"
        "```yaml\nrepo: kunta/kuntasivu\nbase_url: https://kirjaudu.kunta.fi\n```\n"
    )
    problems = unknown_commands(guide, subcommands(), make_targets())
    assert sorted(problems) == [
        f"{guide.path}:3: 'kuntasivu preview' is not a kuntasivu command",
        f"{guide.path}:5: 'make deploy' is not a Makefile target",
    ]


def test_a_missing_path_is_found() -> None:
    guide = _guide("# Opas\n\nKatso `municipalities/karvia/news/ei-ole.yml` ja `municipalities/karvia/site.yml`.\n")
    assert missing_paths(guide) == [f"{guide.path}:3: municipalities/karvia/news/ei-ole.yml does not exist"]


def test_generic_and_dead_links_are_found() -> None:
    guide = _guide(
        "# Opas\n\n## Lue virhe\n\nLue [tästä](#lue-virhe), [virheistä](#ei-ole) ja [oppaasta](puuttuu.md).\n"
    )
    problems = link_problems(guide, generic_link_texts())
    assert len(problems) == 3
    assert "'tästä'" in problems[0] and "'#ei-ole'" in problems[1] and "puuttuu.md" in problems[2]


EXAMPLE = """<!-- example-file: municipalities/karvia/news/uusi.yml -->
```yaml
# yaml-language-server: $schema=../../../schemas/news.schema.json
id: uusi
date: 2026-11-24
{title}
lead: Lyhyt tiivistelmä.
body: Katso [Kirjasto](page:{page}).
```
"""


def _example(tmp_path: Path, title: str = "title: Otsikko", page: str = "kirjasto") -> list[str]:
    (example,) = yaml_examples(_guide("# Opas\n\n" + EXAMPLE.format(title=title, page=page)))
    return example_problems(example, tmp_path)


def test_a_valid_example_passes(tmp_path: Path) -> None:
    assert _example(tmp_path) == []


def test_an_example_with_a_wrong_field_fails_with_the_loaders_message(tmp_path: Path) -> None:
    problems = _example(tmp_path, title="tittle: Otsikko")
    assert any("unknown field 'tittle' — did you mean 'title'?" in p for p in problems), problems


def test_an_example_linking_to_a_missing_page_fails_in_its_municipality(tmp_path: Path) -> None:
    problems = _example(tmp_path, page="kirjastoo")
    assert len(problems) == 1 and "kirjastoo" in problems[0], problems


def test_an_example_in_the_wrong_folder_or_without_its_file_fails(tmp_path: Path) -> None:
    wrong_folder = EXAMPLE.format(title="title: Otsikko", page="kirjasto").replace("/news/uusi", "/events/uusi")
    (example,) = yaml_examples(_guide("# Opas\n\n" + wrong_folder))
    assert example_problems(example, tmp_path) == [
        f"{example.guide}:4: a news schema line on a file in municipalities/karvia/events"
    ]
    unmarked = EXAMPLE.format(title="title: Otsikko", page="kirjasto").split("\n", 1)[1]
    with pytest.raises(AssertionError, match="example-file"):
        yaml_examples(_guide("# Opas\n\n" + unmarked))
    with pytest.raises(AssertionError, match="example-part"):
        yaml_examples(_guide("# Opas\n\n```yaml\nalert:\n  title: Vesikatko\n```\n"))


def test_splice_replaces_only_the_parts_keys() -> None:
    original = "# comment\nname: Karvia\nalert:\n  level: warning\n  title: Vanha\nsocial:\n- service: x\n"
    assert splice(original, "alert:\n  title: Uusi\n") == (
        "# comment\nname: Karvia\nsocial:\n- service: x\nalert:\n  title: Uusi\n"
    )
    assert (
        splice("name: Karvia\n", "editor:\n  backend: test-repo\n") == "name: Karvia\neditor:\n  backend: test-repo\n"
    )


PART = """<!-- example-part: municipalities/karvia/site.yml -->
```yaml
alert:
  level: {level}
  title: Vesikatko
  text: Vesi on poikki.
  page: vesihuolto
```
"""


def test_a_part_is_checked_in_its_file(tmp_path: Path) -> None:
    (good,) = yaml_examples(_guide("# Opas\n\n" + PART.format(level="danger")))
    assert example_problems(good, tmp_path / "good") == []
    (bad,) = yaml_examples(_guide("# Opas\n\n" + PART.format(level="urgent")))
    problems = example_problems(bad, tmp_path / "bad")
    assert len(problems) == 1 and "karvia/site.yml" in problems[0] and "alert.level" in problems[0], problems
