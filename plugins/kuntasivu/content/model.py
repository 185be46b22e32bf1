"""The content schema: every YAML file a municipality edits, as typed models.

Each field's docstring is its documentation: it becomes the description that
editors show from the JSON Schema (``kuntasivu schema``), so write it for a
communications officer, not for a programmer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

LANGUAGES: dict[str, str] = {"fi": "suomi", "sv": "svenska", "en": "English"}
"""Language codes a site may declare, with each language's name in itself."""

Lang = Literal["fi", "sv", "en"]

_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[
    str,
    Field(
        pattern=_SLUG,
        description="An identifier: lower-case letters a–z, digits and single hyphens, e.g. 'kirjasto'.",
    ),
]
Slug = Annotated[str, Field(pattern=_SLUG)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", examples=["kirjaamo@kunta.fi"])]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{4,}$", examples=["02 577 211", "+358 44 577 2100"])]
HttpUrl = Annotated[str, Field(pattern=r"^https://[^\s]+$", examples=["https://www.kunta.fi/"])]
AssetPath = Annotated[
    str,
    Field(
        pattern=r"^assets/[A-Za-z0-9._/-]+$",
        description="A file under the municipality's assets/ folder, e.g. 'assets/kirjasto.jpg'.",
    ),
]
SiteAddress = Annotated[
    str,
    Field(
        pattern=r"^(https://[^\s/]+/([^\s]*/)?|http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?/([^\s]*/)?)$",
        examples=["https://www.kunta.fi/", "http://127.0.0.1:8001/"],
        description="An https:// address ending with '/'; http://127.0.0.1:PORT/ or http://localhost:PORT/ "
        "only for trying the site out on one's own machine.",
    ),
]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#00558c"])]


class Text:
    """A user-facing text: one string for a one-language site, or one per language.

    ``title: Kirjasto`` or ``title: {fi: Kirjasto, sv: Bibliotek}``. Which
    languages must be present is checked against the site later, where the
    site's languages are known.
    """

    __slots__ = ("by_lang", "plain")

    def __init__(self, value: str | dict[str, str]) -> None:
        self.plain: str | None = value if isinstance(value, str) else None
        self.by_lang: dict[str, str] = dict(value) if isinstance(value, dict) else {}

    def get(self, lang: str) -> str:
        if self.plain is not None:
            return self.plain
        return self.by_lang[lang]

    def __repr__(self) -> str:
        return f"Text({self.plain!r})" if self.plain is not None else f"Text({self.by_lang!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.plain, self.by_lang) == (other.plain, other.by_lang)

    def __hash__(self) -> int:
        return hash((self.plain, tuple(sorted(self.by_lang.items()))))

    @classmethod
    def _validate(cls, value: Any) -> Text:
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            return cls({str(k): v for k, v in value.items()})
        raise PydanticCustomError(
            "text_type",
            "expected a text, or one text per language such as {fi: Kirjasto, sv: Bibliotek}"
            + (" (put numbers and dates in quotes)" if isinstance(value, (int, float, dt.date)) else ""),
        )

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda t: t.plain if t.plain is not None else t.by_lang
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "propertyNames": {"enum": list(LANGUAGES)},
                    "additionalProperties": {"type": "string"},
                    "minProperties": 1,
                },
            ],
            "description": "A text, or one text per language: {fi: …, sv: …}.",
        }


class SameInAllLanguages:
    """Marks a text field where one plain text may serve every language (names, clock times)."""


SAME_IN_ALL_LANGUAGES = SameInAllLanguages()


class Markdown:
    """Marks a text field written in Markdown: the build renders it (content/pages.py), the schemas
    say so to editors, and the content checks look inside it for links, images and headings."""


MARKDOWN = Markdown()


def is_markdown_field(model: type[BaseModel], name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and MARKDOWN in info.metadata


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, str_strip_whitespace=False)


# --- shared building blocks -------------------------------------------------------------------


class Image(Model):
    """An image with its text alternative."""

    src: AssetPath
    """The image file under assets/, e.g. 'assets/uimahalli.jpg'."""
    alt: Text | None = None
    """What the image shows, for people who cannot see it. Required unless the image is decorative."""
    decorative: bool = False
    """True when the image adds nothing to the text around it; it then gets an empty alt text."""

    @model_validator(mode="after")
    def _alt_or_decorative(self) -> Image:
        if self.decorative and self.alt is not None:
            raise PydanticCustomError("alt_and_decorative", "give either 'alt' or 'decorative: true', not both")
        if not self.decorative and self.alt is None:
            raise PydanticCustomError(
                "alt_missing",
                "an image needs 'alt' (what it shows) or 'decorative: true' if it adds nothing to the text",
            )
        return self


class OpeningHoursRow(Model):
    """One line of opening hours."""

    days: Text
    """The days, e.g. 'ma–to' or {fi: 'ma–to', sv: 'mån–tors'}."""
    hours: Annotated[Text, SAME_IN_ALL_LANGUAGES]
    """The hours, e.g. '8.00–16.00'; one text serves every language unless given per language."""


class Address(Model):
    """A street address."""

    street: Text
    """Street and number, e.g. 'Keskuskatu 43'. Bilingual sites give both names."""
    postal_code: Annotated[str, Field(pattern=r"^[0-9]{5}$")]
    """Postal code: five digits in quotes, e.g. '38700'."""
    city: Text
    """Post office, e.g. 'Kankaanpää' or {fi: Lohja, sv: Lojo}."""


class Coordinates(Model):
    """A point on the map in WGS84 degrees."""

    lat: Annotated[float, Field(ge=59.0, le=71.0)]
    """Latitude, e.g. 61.8034 (Finland lies between 59 and 71)."""
    lon: Annotated[float, Field(ge=19.0, le=32.0)]
    """Longitude, e.g. 22.3960 (Finland lies between 19 and 32)."""


class ContactCard(Model):
    """A person or unit residents can contact."""

    name: Annotated[Text, SAME_IN_ALL_LANGUAGES]
    """Name of the person or unit, e.g. 'Maija Virtanen' or {fi: Kirjasto, sv: Biblioteket}."""
    role: Text | None = None
    """Job title or what the contact handles, e.g. 'rakennustarkastaja'."""
    phone: Phone | None = None
    """Phone number as residents dial it, e.g. '044 577 2100'."""
    email: Email | None = None
    """E-mail address."""
    address: Text | None = None
    """Visiting address, if it differs from the town hall."""
    hours: Text | None = None
    """When the contact can be reached, e.g. 'ma–pe 9–12'."""


# --- page blocks ------------------------------------------------------------------------------


class ContactBlock(ContactCard):
    """A contact card on a page."""

    type: Literal["contact"]
    """Block type."""


class OpeningHoursBlock(Model):
    """Opening hours on a page."""

    type: Literal["opening_hours"]
    """Block type."""
    title: Text | None = None
    """Heading above the hours; defaults to 'Aukioloajat'."""
    rows: Annotated[list[OpeningHoursRow], Field(min_length=1)]
    """The opening hours, one row per group of days."""
    note: Text | None = None
    """Exceptions, e.g. holiday hours."""


class Link(Model):
    """A link to one of the site's pages or to another website."""

    text: Text | None = None
    """The link text. Say where the link goes; never 'lue lisää' or 'klikkaa tästä'.
    Defaults to the linked page's title."""
    page: Id | None = None
    """Id of one of this site's pages."""
    url: HttpUrl | None = None
    """Address of another website (https://…)."""

    @model_validator(mode="after")
    def _one_target(self) -> Link:
        if (self.page is None) == (self.url is None):
            raise PydanticCustomError("link_target", "give exactly one of 'page' (a page id) or 'url' (https://…)")
        if self.url is not None and self.text is None:
            raise PydanticCustomError("link_text", "a link to another website needs 'text' saying where it goes")
        return self


class LinksBlock(Model):
    """A list of links."""

    type: Literal["links"]
    """Block type."""
    title: Text
    """Heading above the links."""
    links: Annotated[list[Link], Field(min_length=1)]
    """The links."""


class FaqItem(Model):
    """One question and its answer."""

    question: Text
    """The question, as a resident would ask it."""
    answer: Annotated[Text, MARKDOWN]
    """The answer (Markdown)."""


class FaqBlock(Model):
    """Frequently asked questions."""

    type: Literal["faq"]
    """Block type."""
    title: Text | None = None
    """Heading above the questions; defaults to 'Usein kysyttyä'."""
    items: Annotated[list[FaqItem], Field(min_length=1)]
    """The questions and answers."""


class FormBlock(Model):
    """A form residents fill in and send, e.g. feedback or a booking."""

    type: Literal["form"]
    """Block type."""
    form: Id
    """Id of the form, from forms/ or the shared site_src/forms/, e.g. 'palaute'. The site needs
    inbox_url in site.yml. A page can have one form."""


class FeedbackBlock(Model):
    """Location-based feedback: residents choose what their report is about, describe it and
    give the place by address, on a map or with their own location."""

    type: Literal["feedback"]
    """Block type. The categories, the map and the places come from feedback: in site.yml, and
    the site needs inbox_url there. A page can have one feedback block and no form besides it."""


Block = Annotated[
    ContactBlock | OpeningHoursBlock | LinksBlock | FaqBlock | FormBlock | FeedbackBlock, Field(discriminator="type")
]


# --- pages, news, events ----------------------------------------------------------------------


class Page(Model):
    """A service page, e.g. the library or building permits (pages/*.yml)."""

    id: Id
    """Identifier of the page. A municipality's page with the same id as a shared page replaces it."""
    section: Id | None = None
    """Id of the navigation section (from site.yml) the page belongs to. Pages without a
    section, such as the privacy notice, are linked from the footer or other pages."""
    title: Text
    """The page's heading and title."""
    slug: Text | None = None
    """The last part of the page's address, per language, e.g. {fi: kirjasto, sv: bibliotek}.
    Defaults to the id."""
    summary: Text
    """One or two sentences on what the page offers; shown in lists and search results."""
    body: Annotated[Text | None, MARKDOWN] = None
    """The page's text in Markdown, headings from ## down. Link to other pages with [text](page:id);
    the site's own pages are page:home, page:news, page:events, page:contact and page:accessibility."""
    image: Image | None = None
    """An image shown at the top of the page."""
    blocks: list[Block] = []
    """Contact cards, opening hours, link lists, questions, and a form or the feedback map shown
    after the text."""
    order: int = 100
    """Position within the section: smaller numbers first."""


class NewsItem(Model):
    """A news item (news/*.yml)."""

    id: Id
    """Identifier; also the end of the item's address."""
    date: dt.date
    """Publication date, e.g. 2026-11-20."""
    title: Text
    """Headline."""
    lead: Text
    """Ingress: one or two sentences shown in lists and at the top of the item."""
    body: Annotated[Text | None, MARKDOWN] = None
    """The rest of the text in Markdown."""
    image: Image | None = None
    """An image shown with the item."""


class Event(Model):
    """An event (events/*.yml)."""

    id: Id
    """Identifier; also the end of the event's address."""
    title: Text
    """Name of the event."""
    start: dt.datetime | dt.date
    """When it starts: 2027-03-14T18:00 (or just a date for a whole-day event)."""
    end: dt.datetime | dt.date | None = None
    """When it ends, in the same form as start."""
    place: Text
    """Where it happens, e.g. 'Kaupungintalo, valtuustosali'."""
    summary: Text
    """One sentence shown in event lists."""
    description: Annotated[Text | None, MARKDOWN] = None
    """More about the event in Markdown."""
    image: Image | None = None
    """An image shown with the event."""
    registration_form: Id | None = None
    """Id of the form used to register, if registration is needed; it is shown on the event's page.
    The site needs inbox_url in site.yml."""

    @field_validator("start", "end", mode="before")
    @classmethod
    def _day_without_time(cls, value: Any) -> Any:
        # YAML 1.2 gives 2027-03-14 as a string, which pydantic would read as midnight: a day
        # without a time is a whole-day event (its calendar entry and schema.org data are dates).
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            return dt.date.fromisoformat(value.strip())
        return value

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end is not None:
            if isinstance(self.start, dt.datetime) != isinstance(self.end, dt.datetime):
                raise PydanticCustomError(
                    "event_end_form", "give 'start' and 'end' in the same form: both dates, or both dates with times"
                )
            if self.end < self.start:
                raise PydanticCustomError("event_end", "the event ends before it starts: check 'end'")
        return self


# --- site.yml ---------------------------------------------------------------------------------


class Brand(Model):
    """The municipality's look."""

    primary_colour: Colour = "#00558c"
    """Main colour (#rrggbb) used for the header and buttons. It must have enough contrast with white."""
    logo: AssetPath | None = None
    """Logo or coat of arms under assets/. It stands beside the municipality's name, so it needs no alt text."""


class Hero(Model):
    """The large image and greeting at the top of the home page."""

    image: Image
    """The image."""
    title: Text | None = None
    """Greeting shown over the image; defaults to the municipality's name."""
    lead: Text | None = None
    """A sentence under the greeting."""


class Section(Model):
    """A main navigation section, e.g. 'Varhaiskasvatus ja koulutus'."""

    id: Id
    """Identifier that pages refer to with 'section:'."""
    title: Text
    """Name shown in the main navigation."""
    slug: Text | None = None
    """Address of the section per language, e.g. {fi: vapaa-aika, sv: fritid}. Defaults to the id."""
    summary: Text | None = None
    """One sentence shown on the section's own page."""


class TopTask(Model):
    """A shortcut on the home page to a service residents need often."""

    page: Id | None = None
    """Id of the page."""
    url: HttpUrl | None = None
    """Or the address of an outside service, e.g. the library catalogue."""
    title: Text | None = None
    """Text of the shortcut; defaults to the page title. Required with 'url'."""

    @model_validator(mode="after")
    def _one_target(self) -> TopTask:
        if (self.page is None) == (self.url is None):
            raise PydanticCustomError("link_target", "give exactly one of 'page' (a page id) or 'url' (https://…)")
        if self.url is not None and self.title is None:
            raise PydanticCustomError("link_text", "a shortcut to another website needs 'title'")
        return self


class Alert(Model):
    """A banner shown on every page, e.g. a water outage or a boil-water notice."""

    level: Literal["info", "warning", "danger"] = "warning"
    """How serious: info, warning or danger. The level is also said in words, never by colour alone."""
    title: Text
    """Short headline, e.g. 'Vesikatko Keskuskadulla'."""
    text: Text
    """What residents need to know and do."""
    until: dt.date | None = None
    """Last day the banner is shown. Without it the banner stays until removed."""
    page: Id | None = None
    """Id of a page with more information."""


class SocialLink(Model):
    """The municipality's account on a social media service."""

    service: Literal["facebook", "instagram", "youtube", "linkedin", "x", "tiktok", "threads", "bluesky", "mastodon"]
    """The service."""
    url: HttpUrl
    """Address of the account."""


class Contact(Model):
    """How to reach the municipality; shown in the footer, on the home page and the contact page."""

    organisation: Text | None = None
    """Formal name for the footer, e.g. 'Kankaanpään kaupunki'; defaults to the site name."""
    address: Address
    """Visiting address of the town hall or service point."""
    postal_address: Address | None = None
    """Postal address, if different from the visiting address."""
    phone: Phone
    """Main phone number (switchboard)."""
    email: Email
    """Registry or general e-mail address."""
    opening_hours: list[OpeningHoursRow] = []
    """Opening hours of the service point."""
    coordinates: Coordinates | None = None
    """Location of the town hall, for a map link."""
    units: list[ContactCard] = []
    """Units and people listed on the contact page."""


RuleId = Annotated[
    str,
    Field(
        pattern=r"^(kuntasivu|nu|axe|htmlcs)/\S+$",
        examples=["axe/color-contrast", "kuntasivu/link-generic"],
        description="A checker's rule: engine/rule as shown in reports/<slug>/report.html.",
    ),
]


class KnownIssue(Model):
    """An accessibility problem the municipality knows of and accepts for a while."""

    page: Annotated[str, Field(pattern=r"^(\*|/\S*)$", examples=["/vapaa-aika/kartta/", "*"])]
    """Address of the page as in the report ('/palvelut/kartta/'), or '*' for every page."""
    rule: RuleId
    """The rule the finding breaks, e.g. 'axe/frame-title'."""
    reason: Text
    """Why it is accepted and what is being done about it; shown in the accessibility statement."""
    expires: dt.date
    """Last day the exception holds. After it the finding fails the build again."""
    reason_type: Literal["non-compliance", "disproportionate-burden", "outside-scope"] = "non-compliance"
    """The legal ground, as in the EU model statement: non-compliance, disproportionate-burden,
    or outside-scope (content the law does not cover)."""
    description: Text | None = None
    """What residents cannot use, in plain words; defaults to the WCAG criterion explained."""
    alternative: Text | None = None
    """How to get the same information or service another way, e.g. 'Soita 02 577 211'."""


class ThirdPartyAudit(Model):
    """An accessibility evaluation made by someone else than the automated checks."""

    by: Text
    """Who made it, e.g. 'Saavutettavuuskonsultit Oy'."""
    date: dt.date
    """When it was finished."""
    summary: Text | None = None
    """What was evaluated and how, in a sentence."""


class AccessibilityContact(Model):
    """Accessibility feedback contact and the accessibility gate's policy for this site."""

    email: Email
    """E-mail address for accessibility feedback."""
    phone: Phone | None = None
    """Phone number for accessibility feedback."""
    handler: Text | None = None
    """Who handles the feedback, e.g. 'viestintäsuunnittelija'."""
    rules: dict[RuleId, Literal["error", "warning", "ignore"]] = {}
    """How strict each rule is on this site: error (fails the build, the default for errors),
    warning (shown in the report) or ignore. Example: {'axe/region': warning}."""
    known_issues: list[KnownIssue] = []
    """Accepted exceptions, each with page, rule, reason and expiry date."""
    statement_prepared: dt.date | None = None
    """Date the accessibility statement was first prepared. Without it the statement gives the
    date of the latest audit."""
    third_party_audit: ThirdPartyAudit | None = None
    """An evaluation by an outside expert, shown in the statement beside the automated checks."""


class SharedPageUse(Model):
    """Use of a page from the shared library (site_src/pages)."""

    page: Id
    """Id of the shared page, e.g. 'digituki'."""
    section: Id | None = None
    """Section to place it in; defaults to none (linked from the footer and other pages)."""

    @model_validator(mode="before")
    @classmethod
    def _plain_id(cls, value: Any) -> Any:
        return {"page": value} if isinstance(value, str) else value


class Features(Model):
    """Parts of the site that can be turned off."""

    news: bool = True
    """News list and news on the home page."""
    events: bool = True
    """Event calendar and events on the home page."""


RepoName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", examples=["kunta/kuntasivu"])]


class Editor(Model):
    """Editing the site in the browser (Decap CMS at <site>/admin/): where the content lives and how
    staff sign in. Every change becomes a pull request (GitHub) or merge request (GitLab) for review."""

    backend: Literal["github", "gitlab", "test-repo"]
    """Where the content is kept: github, gitlab, or test-repo (only for trying the editor out:
    nothing is saved, everything is lost when the page is closed)."""
    repo: RepoName | None = None
    """The repository as owner/name, e.g. 'kankaanpaa/kuntasivu' (GitLab groups: 'group/subgroup/name').
    Required with github and gitlab."""
    branch: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]+$")] = "main"
    """The branch the site is published from; changes are proposed against it."""
    base_url: HttpUrl | None = None
    """GitHub: address of the OAuth service that signs staff in (GitHub's sign-in needs a small
    server that holds the OAuth app's secret), e.g. 'https://kirjaudu.kunta.fi'. GitLab: the
    address of a self-hosted GitLab, e.g. 'https://gitlab.kunta.fi'; leave out for gitlab.com."""
    auth_endpoint: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]+$")] | None = None
    """Path of the sign-in on base_url when it is not the default ('auth' on an OAuth service,
    'oauth/authorize' on GitLab)."""
    app_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9]+$")] | None = None
    """GitLab: the Application ID of the GitLab application (Settings → Applications; not
    confidential, scope api) that signs staff in with PKCE, without a server of our own."""

    @model_validator(mode="after")
    def _backend_settings(self) -> Editor:
        if self.backend == "test-repo":
            given = [name for name in ("repo", "base_url", "auth_endpoint", "app_id") if getattr(self, name)]
            if given:
                raise PydanticCustomError(
                    "editor_test_repo",
                    "backend test-repo saves nothing and takes no {given}: remove it, or choose github or gitlab",
                    {"given": ", ".join(given)},
                )
            return self
        if self.repo is None:
            raise PydanticCustomError(
                "editor_repo", "backend {backend} needs 'repo', the repository as owner/name", {"backend": self.backend}
            )
        if self.backend == "github":
            if self.app_id is not None:
                raise PydanticCustomError(
                    "editor_app_id", "'app_id' is for GitLab; GitHub signs in through the OAuth service in 'base_url'"
                )
            if self.base_url is None:
                raise PydanticCustomError(
                    "editor_base_url",
                    "backend github needs 'base_url', the address of the OAuth service that signs staff in "
                    "(see README, 'Editing in the browser')",
                )
        if self.backend == "gitlab" and self.app_id is None:
            raise PydanticCustomError(
                "editor_app_id",
                "backend gitlab needs 'app_id', the Application ID of a GitLab application "
                "(see README, 'Editing in the browser')",
            )
        return self


class Site(Model):
    """A municipality's site settings (site.yml)."""

    name: Text
    """Name shown in the header and page titles, e.g. 'Kankaanpää' or {fi: Lohja, sv: Lojo}."""
    languages: Annotated[list[Lang], Field(min_length=1)] = ["fi"]
    """Languages of the site; the first is the default and lives at the root of the site."""
    site_url: SiteAddress
    """Public address of the site, ending with '/', e.g. 'https://www.kankaanpaa.fi/'."""
    description: Text | None = None
    """One sentence describing the municipality, for search engines."""
    brand: Brand = Brand()
    """Colours and logo."""
    hero: Hero | None = None
    """Image and greeting at the top of the home page."""
    contact: Contact
    """Contact information."""
    navigation: Annotated[list[Section], Field(min_length=1)]
    """Main navigation sections, in the order shown."""
    top_tasks: list[TopTask] = []
    """Shortcuts on the home page to the most used services (4–8 is good)."""
    alert: Alert | None = None
    """A banner on every page, e.g. a water outage."""
    social: list[SocialLink] = []
    """Social media accounts linked from the footer."""
    shared_pages: list[SharedPageUse] = []
    """Pages from the shared library used on this site, e.g. 'digituki' and 'tietosuoja'."""
    footer_pages: list[Id] = []
    """Ids of pages linked from the footer, e.g. the privacy notice."""
    redirects: dict[str, str] = {}
    """Old addresses that now live elsewhere: '/old/path/': '/new/path/', a page id, or https://…"""
    accessibility: AccessibilityContact
    """Contact for accessibility feedback."""
    features: Features = Features()
    """Parts of the site that can be turned off."""
    inbox_url: SiteAddress | None = None
    """Public address of the service that receives the site's forms, ending with '/', e.g.
    'https://lomakkeet.kunta.fi/'. Without it the site has no forms; the shared pages then
    give the e-mail address and phone number instead."""
    feedback: Feedback | None = None
    """Location-based feedback: categories with their owners and the map. Needs inbox_url."""
    editor: Editor | None = None
    """Editing in the browser at <site>/admin/ (Decap CMS). Without it the site has no admin/."""

    @model_validator(mode="after")
    def _unique_languages(self) -> Site:
        if len(set(self.languages)) != len(self.languages):
            raise PydanticCustomError("languages_unique", "each language may be listed only once")
        return self


# feedback.py builds on the types above; imported here, last, so that Site can refer to it.
from .feedback import Feedback  # noqa: E402

Site.model_rebuild()

SLUG_PATTERN = re.compile(_SLUG)

SYSTEM_PAGES: dict[str, str] = {
    "home": "the home page",
    "news": "the news list",
    "events": "the event calendar",
    "contact": "the contact page",
    "accessibility": "the accessibility statement",
}
"""Pages every site makes itself; link to them like any page, e.g. [Yhteystiedot](page:contact)."""
