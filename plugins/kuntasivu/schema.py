"""JSON Schemas of the content files, for editors (VS Code's YAML extension) and CI."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .content.forms import Form
from .content.model import Event, NewsItem, Page, Site

SCHEMAS: dict[str, type[BaseModel]] = {"site": Site, "page": Page, "news": NewsItem, "event": Event, "form": Form}
"""Schema file name (without .schema.json) → model."""


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
