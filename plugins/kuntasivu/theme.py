"""Theme files that are assembled at build time (engine-neutral)."""

from __future__ import annotations

from pathlib import Path


def stylesheet(theme_dir: Path, brand_colour: str) -> str:
    """One style sheet per site: the brand colour, the base styles, then each component's styles.

    One file keeps a page at a single CSS request; components keep their CSS in their own folder.
    """
    parts = [f":root {{ --brand: {brand_colour}; }}\n", (theme_dir / "assets" / "base.css").read_text("utf-8")]
    for css in sorted((theme_dir / "components").glob("*/*.css")):
        parts.append(f"/* components/{css.parent.name} */\n{css.read_text('utf-8')}")
    parts.append((theme_dir / "assets" / "print.css").read_text("utf-8"))
    return "\n".join(parts)
