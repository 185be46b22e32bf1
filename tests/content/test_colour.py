"""Contrast ratios as WCAG defines them, and the nearest passing shade."""

from __future__ import annotations

import pytest
from kuntasivu.content.colour import contrast, nearest_passing, parse_hex


def test_known_ratios() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic lightest grey on white
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("colour", ["#6fa8dc", "#ffdd00", "#ff0000", "#9e9e9e"])
def test_nearest_passing_shade_keeps_the_hue_and_passes(colour: str) -> None:
    import colorsys

    shade = nearest_passing(colour, "#ffffff", 4.5)
    assert shade is not None
    assert contrast(shade, "#ffffff") >= 4.5
    hue = colorsys.rgb_to_hls(*parse_hex(colour))[0]
    assert colorsys.rgb_to_hls(*parse_hex(shade))[0] == pytest.approx(hue, abs=0.02)
    darker_by_one_step = nearest_passing(shade, "#ffffff", 4.5)
    assert darker_by_one_step == shade  # already passing: itself


def test_sample_brand_colours_pass() -> None:
    import yaml

    from tests.conftest import ROOT

    for site in (ROOT / "municipalities").glob("*/site.yml"):
        colour = yaml.safe_load(site.read_text("utf-8"))["brand"]["primary_colour"]
        assert contrast(colour, "#ffffff") >= 4.5, site
