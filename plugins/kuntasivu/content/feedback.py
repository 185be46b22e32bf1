"""Location-based feedback (site.yml ``feedback:``): categories, their owners and the map.

A resident reports a broken street light or a full litter bin and pins it on the map; the
report goes to the official who owns the category. The receiving service publishes the
categories as Open311 GeoReport v2 services (jurisdiction_id = the site's slug), so any
Open311 client can list them and report too. The build exports this part of site.yml as
feedback.json (feedback_export.py); the service reads nothing else about it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .model import Email, Id, Model, SiteAddress, Text
from .tiles import tile_server_source

QuestionType = Literal["text", "textarea", "number", "date", "choice", "choices"]

OPEN311_DATATYPES: dict[str, str] = {
    "text": "string",
    "textarea": "text",
    "number": "number",
    "date": "datetime",
    "choice": "singlevaluelist",
    "choices": "multivaluelist",
}
"""Each question type as an Open311 attribute datatype."""

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


class QuestionOption(Model):
    """One answer to choose."""

    value: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    """What is stored, e.g. 'pimea'; lower-case letters, digits and hyphens."""
    label: Text
    """What the resident sees, e.g. {fi: Valo ei pala}."""


class FeedbackQuestion(Model):
    """An extra question of a category, e.g. the number on a street-light pole."""

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    """Identifier of the answer, e.g. 'pylvasnumero'; lower-case letters, digits and _."""
    type: QuestionType
    """text (one line), textarea, number, date, choice (one of the options) or choices (any)."""
    label: Text
    """The question as asked, e.g. 'Pylvään numero'."""
    hint: Text | None = None
    """A hint under the question, e.g. 'Numero on pylvään kyljessä.'."""
    required: bool = False
    """Whether the question must be answered. Keep this rare: any report is better than none."""
    options: Annotated[list[QuestionOption], Field(min_length=1)] | None = None
    """The answers to choose from, for choice and choices."""

    @model_validator(mode="after")
    def _options_fit_type(self) -> FeedbackQuestion:
        if self.type in ("choice", "choices") and not self.options:
            raise PydanticCustomError("question_options", "a {type} question needs 'options'", {"type": self.type})
        if self.type not in ("choice", "choices") and self.options:
            message = "only choice and choices questions have 'options' (this is {type})"
            raise PydanticCustomError("question_no_options", message, {"type": self.type})
        return self


class FeedbackCategory(Model):
    """What a report is about, e.g. street lights; each category has one official who owns it."""

    code: Id
    """Identifier, e.g. 'katuvalot'; Open311's service_code."""
    name: Text
    """Name residents choose from, e.g. {fi: Katuvalot, sv: Gatubelysning}."""
    description: Text
    """One sentence on what belongs here, e.g. 'Pimeä tai vilkkuva katuvalo, kaatunut pylväs.'."""
    owner: Email
    """E-mail address of the official who gets and answers these reports. Never shown on the site."""
    group: Text | None = None
    """A heading that groups categories, e.g. {fi: Kadut ja liikenne}."""
    keywords: list[str] = Field(default_factory=list)
    """Words residents might search with, e.g. [lamppu, valaisin]."""
    questions: list[FeedbackQuestion] = Field(default_factory=list)
    """Extra questions asked in this category only."""


class Place(Model):
    """A place residents know, announced as the nearest place when the marker is moved."""

    name: Text
    """E.g. 'Keskustie 5' or {fi: Kunnantalo, sv: Kommungården}."""
    at: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]]
    """[latitude, longitude], e.g. [62.1372, 22.5607]."""


class FeedbackMap(Model):
    """The map residents pin their report on."""

    centre: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]]
    """Where the map opens: [latitude, longitude], e.g. [62.1372, 22.5607]."""
    zoom: Annotated[int, Field(ge=1, le=19)] = 13
    """How close the map opens: 13 shows a village, 10 a whole municipality."""
    bounds: (
        tuple[
            Annotated[float, Field(ge=-90, le=90)],
            Annotated[float, Field(ge=-180, le=180)],
            Annotated[float, Field(ge=-90, le=90)],
            Annotated[float, Field(ge=-180, le=180)],
        ]
        | None
    ) = None
    """The municipality's area as [south, west, north, east]; a location outside is refused.
    Defaults to about 30 km around the centre."""
    tiles: Annotated[str, Field(pattern=r"^https://[^\s]*\{z\}[^\s]*\{x\}[^\s]*\{y\}[^\s]*$")] = OSM_TILES
    """Address template of the map tiles, with {z}, {x} and {y}; defaults to OpenStreetMap."""
    attribution: Annotated[str, Field(min_length=1)] = OSM_ATTRIBUTION
    """The tiles' attribution, shown on the map as their licence requires."""
    places: list[Place] = Field(default_factory=list)
    """Streets and landmarks: the nearest one is read out when the marker moves, so that a
    screen reader user knows where the marker is. No address service is asked."""

    @field_validator("tiles")
    @classmethod
    def _host_the_policy_allows(cls, tiles: str) -> str:
        # The Content-Security-Policy names the tile server (serving/policy.py): refused here,
        # with the line, instead of after the site was built.
        try:
            tile_server_source(tiles)
        except ValueError as error:
            raise PydanticCustomError("tile_host", str(error)) from None
        return tiles

    def area(self) -> tuple[float, float, float, float]:
        """[south, west, north, east], the given bounds or about 30 km around the centre."""
        if self.bounds is not None:
            return self.bounds
        lat, long = self.centre
        return (round(lat - 0.27, 4), round(long - 0.55, 4), round(lat + 0.27, 4), round(long + 0.55, 4))


class Open311Endpoint(Model):
    """An existing Open311 GeoReport v2 system that handles the reports instead of the
    receiving service; the service forwards every report to it."""

    endpoint: SiteAddress
    """Its GeoReport v2 base address ending with /, e.g. 'https://palaute.seutu.fi/open311/v2/'."""
    jurisdiction_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The jurisdiction_id it knows the municipality by, if it serves several."""
    api_key_env: Annotated[str, Field(pattern=r"^KUNTASIVU_OPEN311_[A-Z0-9_]{1,80}$")] | None = None
    """Name of the receiving service's environment variable that holds the API key, e.g.
    'KUNTASIVU_OPEN311_KARVIA'. Never write the key itself in the repository. The name must start
    with KUNTASIVU_OPEN311_, so that a site can never have another of the service's secrets
    sent to the address it names."""


class Feedback(Model):
    """Location-based feedback: residents report problems on a map to the right official."""

    categories: Annotated[list[FeedbackCategory], Field(min_length=1)]
    """What reports can be about, each with its owner."""
    map: FeedbackMap
    """The map's centre, zoom and tiles."""
    agency: Text | None = None
    """Who handles the reports, shown with each report, e.g. {fi: Karvian kunta, tekninen toimi}.
    Defaults to the site's name."""
    retention_days: Annotated[int, Field(ge=1)] = 730
    """Days a report and its contact details are kept; then they are deleted."""
    privacy_page: Id = "tietosuoja"
    """Id of the privacy notice page linked from the feedback form."""
    open311: Open311Endpoint | None = None
    """Send the reports on to an existing Open311 system instead of handling them in the
    receiving service. The categories' codes must be that system's service codes."""
    public_list: bool = False
    """Publish handled reports that staff have approved (never names or contact details)."""


__all__ = [
    "OPEN311_DATATYPES",
    "Feedback",
    "FeedbackCategory",
    "FeedbackMap",
    "FeedbackQuestion",
    "Open311Endpoint",
    "Place",
    "QuestionOption",
]
