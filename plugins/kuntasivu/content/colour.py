"""Colour contrast (WCAG 2.x relative luminance) and the nearest passing shade of a colour."""

from __future__ import annotations

import colorsys


def parse_hex(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """Contrast ratio between two #rrggbb colours, 1.0 to 21.0."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def nearest_passing(colour: str, against: str, minimum: float) -> str | None:
    """The shade of the same hue and saturation closest in lightness that reaches ``minimum``
    against ``against``; None when no shade of that hue can."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*parse_hex(colour))
    best: tuple[float, str] | None = None
    for step in range(0, 1001):
        candidate_lightness = step / 1000
        candidate = to_hex(colorsys.hls_to_rgb(hue, candidate_lightness, saturation))
        if contrast(candidate, against) >= minimum:
            distance = abs(candidate_lightness - lightness)
            if best is None or distance < best[0]:
                best = (distance, candidate)
    return best[1] if best else None
