"""The first line that tells editors which schema a file follows (schema_files.py).

`kuntasivu schema --check` finds the same problem for the whole repository; lint says it as a
warning beside the content findings, because editing in Decap CMS or copying a file from
elsewhere drops the line and the editor then stops completing and checking the fields.
"""

from __future__ import annotations

from ..schema_files import HEADER_PREFIX, schema_line
from .context import LintContext
from .findings import Finding

CODE = "schema-line"


def check(ctx: LintContext) -> None:
    if ctx.root is None or not ctx.content.municipality_dir.is_relative_to(ctx.root.resolve()):
        return  # a municipality outside the project folder: no schema path to give
    for path in sorted(ctx.content.municipality_dir.rglob("*.yml")):
        try:
            expected = schema_line(path, ctx.root)
        except ValueError:
            continue  # not a content file any schema is for
        first = path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        if first == expected:
            continue
        what = "points to the wrong schema" if first.startswith(HEADER_PREFIX) else "is missing"
        ctx.findings.append(
            Finding(
                path,
                1,
                1,
                "warning",
                CODE,
                f"the schema line for editors {what}; make the first line '{expected}'"
                " (or run 'kuntasivu schema', which puts it back)",
            )
        )
