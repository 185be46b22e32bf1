"""Images (content/images.py): width and height from the file, lazy loading below the fold, and
resized copies in srcset for raster images wider than the layout needs, cached between builds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from kuntasivu.content import images as images_module
from kuntasivu.content.images import (
    CONTENT,
    HERO,
    PROSE,
    ImageError,
    Images,
    body_images,
    candidate_widths,
    image_size,
    svg_size,
)
from kuntasivu.mkdocs_plugin import build_site
from kuntasivu.weight import SiteFiles, measure_page
from mkdocs.exceptions import Abort
from PIL import Image

from tests.conftest import make_project
from tests.test_cli import build

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def jpeg(path: Path, width: int, height: int, orientation: int | None = None) -> Path:
    """A JPEG with a gradient (so resizing has work to do) and EXIF with a location in it."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[GPS_TAG] = {1: "N", 2: (61.0, 30.0, 0.0)}
    if orientation:
        exif[ORIENTATION_TAG] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, exif=exif)
    return path


def png(path: Path, width: int, height: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA", (width, height), (0, 70, 110, 200)).save(path, "PNG")
    return path


# --- sizes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 12 4"/>', (120, 40)),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 400"/>', (1200, 400)),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="300px" viewBox="0,0,1200,400"/>', (300, 100)),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 64 32"/>', (64, 32)),
    ],
)
def test_svg_size_comes_from_width_and_height_or_the_viewbox(tmp_path: Path, svg: str, size: tuple[int, int]) -> None:
    (tmp_path / "kuva.svg").write_text(svg)
    got = svg_size(tmp_path / "kuva.svg")
    assert (got.width, got.height) == size


def test_an_svg_without_any_size_is_an_error_that_says_what_to_add(tmp_path: Path) -> None:
    (tmp_path / "kuva.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>')
    with pytest.raises(ImageError, match=r"kuva\.svg: the SVG has no size: give its <svg> element a viewBox"):
        svg_size(tmp_path / "kuva.svg")
    (tmp_path / "rikki.svg").write_text("<svg")
    with pytest.raises(ImageError, match=r"rikki\.svg: not a readable SVG file"):
        svg_size(tmp_path / "rikki.svg")


def test_a_file_that_is_no_image_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "kuva.jpg").write_bytes(b"not a picture")
    with pytest.raises(ImageError, match=r"kuva\.jpg: not an image file this build can read .*save it as JPEG"):
        image_size(tmp_path / "kuva.jpg")


def test_raster_size_is_as_drawn_after_the_exif_orientation(tmp_path: Path) -> None:
    size = image_size(jpeg(tmp_path / "pysty.jpg", 300, 200, orientation=6))  # stored sideways
    assert (size.width, size.height) == (200, 300)


@pytest.mark.parametrize(
    ("width", "placement", "widths"),
    [
        (3000, CONTENT, [480, 960, 1472]),  # .content is 46rem = 736 px, ×2
        (3000, PROSE, [480, 960, 1344]),
        (3000, HERO, [480, 960, 1440, 2240]),
        (1000, PROSE, [480, 1000]),  # the original is the widest; 960 would be nearly the same
        (1440, HERO, [480, 960, 1440]),
        (400, CONTENT, [400]),  # never upscaled
    ],
)
def test_candidate_widths(width: int, placement: Any, widths: list[int]) -> None:
    assert candidate_widths(width, placement) == widths


# --- resized copies -----------------------------------------------------------------------------


def test_a_wide_photo_gets_resized_copies_without_its_metadata(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    view = images.describe(jpeg(tmp_path / "iso.jpg", 3000, 2000), "assets/iso.jpg", CONTENT)
    widths = [candidate["width"] for candidate in view["srcset"]]
    assert widths == [480, 960, 1472]
    assert all(
        re.fullmatch(rf"assets/iso\.{w}w\.[0-9a-f]{{10}}\.jpg", c["src"])
        for w, c in zip(widths, view["srcset"], strict=True)
    )
    # The original (3000 px) is wider than any screen needs: the widest copy is the fallback src.
    assert view["src"] == view["srcset"][-1]["src"]
    assert (view["width"], view["height"]) == (1472, 981)
    assert view["sizes"] == "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
    for candidate in view["srcset"]:
        with Image.open(images.variants[candidate["src"]]) as copy:
            assert copy.format == "JPEG"
            assert copy.width == candidate["width"] and copy.height == round(2000 * candidate["width"] / 3000)
            assert GPS_TAG not in copy.getexif()


def test_a_photo_stored_sideways_is_turned_upright_in_its_copies(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    view = images.describe(jpeg(tmp_path / "pysty.jpg", 3000, 2000, orientation=6), "assets/pysty.jpg", CONTENT)
    assert (view["width"], view["height"]) == (1472, 2208)
    with Image.open(images.variants[view["srcset"][0]["src"]]) as copy:
        assert copy.size == (480, 720)
        assert ORIENTATION_TAG not in copy.getexif()


def test_an_image_no_wider_than_needed_is_used_as_it_is(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    view = images.describe(png(tmp_path / "pieni.png", 300, 200), "assets/pieni.png", CONTENT)
    assert view == {"src": "assets/pieni.png", "width": 300, "height": 200, "srcset": [], "sizes": ""}
    assert images.variants == {}


def test_a_medium_image_keeps_the_original_as_the_widest_candidate(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    view = images.describe(png(tmp_path / "kartta.png", 1000, 500), "assets/kartta.png", PROSE)
    assert view["src"] == "assets/kartta.png" and (view["width"], view["height"]) == (1000, 500)
    assert [c["width"] for c in view["srcset"]] == [480, 1000]
    (copy,) = images.variants.values()
    with Image.open(copy) as opened:
        assert opened.format == "PNG" and opened.size == (480, 240) and opened.mode == "RGBA"


def test_copies_are_made_once_per_content_and_then_come_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = jpeg(tmp_path / "iso.jpg", 2000, 1000)
    first = Images(tmp_path / "cache").describe(photo, "assets/iso.jpg", CONTENT)

    def no_resizing(*args: object) -> bytes:
        raise AssertionError("resized again although the cache has the copy")

    monkeypatch.setattr(images_module, "_resized", no_resizing)
    assert Images(tmp_path / "cache").describe(photo, "assets/iso.jpg", CONTENT) == first
    jpeg(photo, 2000, 1001)  # new content: new copies
    with pytest.raises(AssertionError, match="resized again"):
        Images(tmp_path / "cache").describe(photo, "assets/iso.jpg", CONTENT)


def test_without_a_cache_folder_only_sizes_are_read(tmp_path: Path) -> None:
    view = Images(None).describe(jpeg(tmp_path / "iso.jpg", 3000, 2000), "assets/iso.jpg", CONTENT)
    assert view == {"src": "assets/iso.jpg", "width": 3000, "height": 2000, "srcset": [], "sizes": ""}


def test_an_animated_gif_is_not_resized(tmp_path: Path) -> None:
    frames = [Image.new("P", (1600, 800), colour) for colour in (1, 2)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    view = Images(tmp_path / "cache").describe(tmp_path / "anim.gif", "assets/anim.gif", CONTENT)
    assert view["srcset"] == [] and view["width"] == 1600


# --- <img> in Markdown bodies ------------------------------------------------------------------------


def rewrite(html: str, images: Images, files: dict[str, Path], *, first_eager: bool = False) -> list[Tag]:
    def locate(src: str) -> tuple[Path, str] | None:
        address = src.removeprefix("../../")
        return (files[address], address) if address in files else None

    out = body_images(html, images, locate, lambda address: "../../" + address, first_eager=first_eager)
    return BeautifulSoup(out, "html.parser").find_all("img")


def test_body_images_get_size_srcset_and_lazy_loading(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    files = {
        "assets/iso.jpg": jpeg(tmp_path / "iso.jpg", 3000, 2000),
        "assets/p.png": png(tmp_path / "p.png", 300, 200),
    }
    html = (
        '<p>Teksti.</p>\n<p><img alt="Iso &quot;kuva&quot;" src="../../assets/iso.jpg" title="Järvi" /></p>\n'
        '<p><img alt="" src="../../assets/p.png" width="150" /></p>\n'
        '<p><img alt="Kartta" src="https://kartat.example.org/k.png" /></p>'
    )
    big, small, external = rewrite(html, images, files)
    assert big["alt"] == 'Iso "kuva"' and big["title"] == "Järvi"
    assert big["src"].startswith("../../assets/iso.1344w.") and (big["width"], big["height"]) == ("1344", "896")
    assert [c.split()[1] for c in big["srcset"].split(", ")] == ["480w", "960w", "1344w"]
    assert all(c.startswith("../../assets/iso.") for c in big["srcset"].split(", "))
    assert big["sizes"] == PROSE.sizes
    assert (small["src"], small["width"], small["height"]) == ("../../assets/p.png", "150", "100")  # width kept
    assert not small.has_attr("srcset")
    assert external["src"] == "https://kartat.example.org/k.png" and not external.has_attr("width")
    assert all(img["loading"] == "lazy" and img["decoding"] == "async" for img in (big, small, external))


def test_an_image_before_any_text_of_a_page_without_a_top_image_loads_at_once(tmp_path: Path) -> None:
    images = Images(tmp_path / "cache")
    files = {"assets/p.png": png(tmp_path / "p.png", 300, 200)}
    html = '<p><img alt="" src="../../assets/p.png" /></p><p>Teksti.</p><p><img alt="" src="../../assets/p.png" /></p>'
    first, second = rewrite(html, images, files, first_eager=True)
    assert not first.has_attr("loading") and second["loading"] == "lazy"
    first, second = rewrite(html, images, files, first_eager=False)
    assert first["loading"] == second["loading"] == "lazy"


# --- in a built site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pieni with a 3000 px photo as a news item's image and in its text, and a small PNG in the
    library page's text."""
    project = make_project(tmp_path_factory.mktemp("images") / "project", ("pieni",))
    pieni = project / "municipalities" / "pieni"
    jpeg(pieni / "assets" / "kirjasto.jpg", 3000, 2000)
    png(pieni / "assets" / "kartta.png", 300, 200)
    news = pieni / "news" / "uutinen.yml"
    news.write_text(
        news.read_text("utf-8")
        + "image:\n  src: assets/kirjasto.jpg\n  alt: Kirjaston uusi lukusali.\n"
        + "body: |\n  Lukusalissa on paikkoja sadalle.\n\n  ![Lukusali ikkunasta](../../assets/kirjasto.jpg)\n",
        "utf-8",
    )
    library = pieni / "pages" / "kirjasto.yml"
    text = library.read_text("utf-8").replace(
        "  Kirjastossa on kirjoja ja lehtiä.\n",
        "  Kirjastossa on kirjoja ja lehtiä.\n\n  ![Kartta](../../assets/kartta.png)\n",
    )
    library.write_text(text, "utf-8")
    result = build("pieni", "--today", "2026-11-26", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "public" / "pieni"


def images_of(site: Path, page: str) -> list[Tag]:
    return BeautifulSoup((site / page / "index.html").read_text("utf-8"), "html.parser").find_all("img")


def served(site: Path, page: str, src: str) -> Path:
    return (site / page / src).resolve()


def test_a_news_image_is_the_top_image_with_srcset_and_loads_at_once(site: Path) -> None:
    _logo, top, in_text = images_of(site, "ajankohtaista/uusi-kirjasto")
    assert top["class"] == ["content__image"] and top["alt"] == "Kirjaston uusi lukusali."
    assert re.fullmatch(r"\.\./\.\./assets/kirjasto\.1472w\.[0-9a-f]{10}\.jpg", top["src"])
    assert (top["width"], top["height"]) == ("1472", "981")
    assert [c.split()[1] for c in top["srcset"].split(", ")] == ["480w", "960w", "1472w"]
    assert top["sizes"] == CONTENT.sizes and top["decoding"] == "async" and not top.has_attr("loading")
    for candidate in top["srcset"].split(", "):
        address, width = candidate.split()
        with Image.open(served(site, "ajankohtaista/uusi-kirjasto", address)) as copy:
            assert copy.width == int(width.removesuffix("w")) and copy.format == "JPEG"
    # In the text below it: lazy, with the text column's widths.
    assert in_text["loading"] == "lazy" and in_text["decoding"] == "async"
    assert [c.split()[1] for c in in_text["srcset"].split(", ")] == ["480w", "960w", "1344w"]
    assert (in_text["width"], in_text["height"]) == ("1344", "896")
    assert served(site, "ajankohtaista/uusi-kirjasto", in_text["src"]).is_file()
    # The original stays in the site for links to it, though no <img> loads it.
    assert (site / "assets" / "kirjasto.jpg").is_file()
    assert "kirjasto.jpg" not in (site / "ajankohtaista" / "uusi-kirjasto" / "index.html").read_text("utf-8")


def test_a_small_image_in_text_is_not_upscaled(site: Path) -> None:
    _, kartta = images_of(site, "palvelut/kirjasto")
    assert (kartta["src"], kartta["width"], kartta["height"]) == ("../../assets/kartta.png", "300", "200")
    assert not kartta.has_attr("srcset") and kartta["loading"] == "lazy"
    assert not list((site / "assets").glob("kartta.*w.*"))


def test_the_logo_and_the_hero_get_their_size_from_the_file_and_load_at_once(site: Path) -> None:
    logo, hero = images_of(site, "")
    assert (logo["width"], logo["height"], logo["alt"]) == ("48", "48", "")  # 64 × 64 viewBox, shown 48 high
    assert (hero["width"], hero["height"]) == ("1200", "400") and hero["class"] == ["hero__image"]
    assert not logo.has_attr("loading") and not hero.has_attr("loading")
    assert logo["decoding"] == hero["decoding"] == "async"


def test_content_images_do_not_count_in_the_page_weight(site: Path) -> None:
    weight = measure_page(SiteFiles(site), site / "ajankohtaista" / "uusi-kirjasto" / "index.html")
    assert not [r.address for r in weight.resources if "kirjasto." in r.address]
    assert "assets/logo.svg" in [r.address for r in weight.resources]


def test_the_copies_are_cached_in_the_project(site: Path) -> None:
    cache = site.parents[1] / ".cache" / "images"
    names = sorted(path.name for path in cache.iterdir())
    assert len(names) == 4 and all(re.fullmatch(r"[0-9a-f]{10}-(480|960|1344|1472)w-v1\.jpg", n) for n in names)


def test_an_image_without_a_size_stops_the_build_naming_the_file_and_the_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path / "project", ("pieni",))
    pieni = project / "municipalities" / "pieni"
    (pieni / "assets" / "hero.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "utf-8")
    with pytest.raises(Abort):
        build_site(project, pieni, tmp_path / "site", today=dt.date(2026, 11, 26))
    assert re.search(
        r"pieni/assets/hero\.svg: the SVG has no size: give its <svg> element a viewBox .* "
        r"\(the image 'assets/hero\.svg' of \S+/pieni/site\.yml\)",
        caplog.text,
    ), caplog.text
