"""Checks across files: translations, references between items, duplicates, file paths."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pydantic import BaseModel

from . import addresses, urls
from .addresses import Reserved
from .colour import contrast, nearest_passing
from .errors import ContentError
from .feedback_export import check_feedback
from .form_export import form_uses
from .forms import CHOICES, TEXT_LIKE, Form
from .loading import Content, Sourced
from .markdown_lines import without_code
from .model import LANGUAGES, MARKDOWN, SAME_IN_ALL_LANGUAGES, SLUG_PATTERN, SYSTEM_PAGES, Brand, Image, Link, Text
from .text_positions import TextPositions
from .yamlsource import Path_, YamlDocument, dotted_path

PAGE_LINK = re.compile(r"\]\(page:([^)\s#]*)(#[^)\s]*)?\)")
"""Markdown links to other pages by id: [Kirjasto](page:kirjasto)."""
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\((assets/[^)\s]*)")
"""Markdown images from the assets folder: ![Uimahalli](assets/uimahalli.jpg)."""

_LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _error(doc: YamlDocument, path: Path_, message: str, *, key: bool = False) -> ContentError:
    pos = doc.position(path, prefer_key=key)
    return ContentError(doc.path, pos.line, pos.column, dotted_path(path), message)


def _walk(obj: Any, path: Path_ = (), markers: Sequence[object] = ()) -> Iterator[tuple[Path_, Any, Sequence[object]]]:
    """Every value inside a model with its data path and its field's markers (SAME_IN_ALL_LANGUAGES,
    MARKDOWN; the field's metadata)."""
    yield path, obj, markers
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            if name in obj.model_fields_set:
                yield from _walk(getattr(obj, name), (*path, name), info.metadata)
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _walk(item, (*path, index))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk(item, (*path, key))


def _sources(content: Content) -> list[Sourced[Any]]:
    return [content.site, *content.pages.values(), *content.news, *content.events, *content.forms.values()]


def check_translations(content: Content) -> list[ContentError]:
    languages = content.languages
    names = ", ".join(languages)
    errors: list[ContentError] = []
    for source in _sources(content):
        for path, value, markers in _walk(source.item):
            neutral = SAME_IN_ALL_LANGUAGES in markers
            if not isinstance(value, Text):
                continue
            if value.plain is not None:
                if len(languages) > 1 and not neutral:
                    example = ", ".join(f"{lang}: …" for lang in languages)
                    errors.append(
                        _error(
                            source.doc,
                            path,
                            f"this site is in {names}: give the text in each language, e.g. {{{example}}}",
                        )
                    )
                continue
            for lang in value.by_lang:
                if lang not in LANGUAGES:
                    close = difflib.get_close_matches(lang, list(LANGUAGES), n=1)
                    hint = f" — did you mean '{close[0]}'?" if close else ""
                    errors.append(
                        _error(
                            source.doc,
                            (*path, lang),
                            f"unknown language code '{lang}'{hint}; use one of {', '.join(LANGUAGES)}",
                            key=True,
                        )
                    )
            for lang in languages:
                if lang not in value.by_lang:
                    errors.append(
                        _error(
                            source.doc,
                            path,
                            f"missing the {_LANGUAGE_NAMES[lang]} ({lang}) text; this site is in {names}",
                        )
                    )
    return errors


def _page_ref(content: Content, doc: YamlDocument, path: Path_, page_id: str | None) -> ContentError | None:
    if page_id is None or page_id in content.pages or page_id in SYSTEM_PAGES or page_id in content.broken_ids:
        return None
    close = difflib.get_close_matches(page_id, list(content.pages), n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    extra = " (a shared page must be listed in site.yml shared_pages)" if page_id in content.shared_page_ids else ""
    return _error(doc, path, f"no page with id '{page_id}'{hint}{extra}")


def check_references(content: Content) -> list[ContentError]:
    site, site_doc = content.site.item, content.site.doc
    errors: list[ContentError] = check_translations(content)
    section_ids = [s.id for s in site.navigation]

    seen: dict[str, int] = {}
    for index, section in enumerate(site.navigation):
        if section.id in seen:
            errors.append(_error(site_doc, ("navigation", index, "id"), f"duplicate section id '{section.id}'"))
        seen[section.id] = index
    for index, use in enumerate(site.shared_pages):
        if use.section and use.section not in section_ids:
            errors.append(_unknown_section(site_doc, ("shared_pages", index, "section"), use.section, section_ids))
    for page in content.pages.values():
        if page.item.id in SYSTEM_PAGES:
            errors.append(
                _error(
                    page.doc,
                    ("id",),
                    f"'{page.item.id}' is reserved for a page the site makes itself; choose another id",
                )
            )
        if (
            page.item.section
            and page.item.section not in section_ids
            and page.doc.path.is_relative_to(content.municipality_dir)
        ):
            errors.append(_unknown_section(page.doc, ("section",), page.item.section, section_ids))

    refs: list[tuple[YamlDocument, Path_, str | None]] = [
        (site_doc, ("top_tasks", i, "page"), task.page) for i, task in enumerate(site.top_tasks)
    ]
    refs += [(site_doc, ("footer_pages", i), page_id) for i, page_id in enumerate(site.footer_pages)]
    if site.alert:
        refs.append((site_doc, ("alert", "page"), site.alert.page))
    for source in _sources(content):
        for path, value, markers in _walk(source.item):
            if isinstance(value, Link):
                refs.append((source.doc, (*path, "page"), value.page))
            elif isinstance(value, Image):
                errors.extend(_missing_file(content, source, (*path, "src"), value.src))
            elif isinstance(value, Brand) and value.logo:
                errors.extend(_missing_file(content, source, (*path, "logo"), value.logo))
            elif isinstance(value, Text) and MARKDOWN in markers:
                errors.extend(_markdown_references(content, source, path, value))
    errors.extend(check_form_uses(content))
    errors.extend(check_feedback_uses(content))
    errors.extend(check_forms(content))
    errors.extend(check_feedback(content))
    errors.extend(error for doc, path, page_id in refs if (error := _page_ref(content, doc, path, page_id)))

    errors.extend(_duplicates(content.news, "news item"))
    errors.extend(_duplicates(content.events, "event"))
    errors.extend(_slugs(content))
    reserved = addresses.reserved(content)
    collisions, owners = _url_collisions(content, reserved)
    errors.extend(collisions)
    errors.extend(_redirects(content, reserved, owners))
    errors.extend(_brand_contrast(content))
    return errors


def _unknown_section(doc: YamlDocument, path: Path_, section: str, known: list[str]) -> ContentError:
    close = difflib.get_close_matches(section, known, n=1)
    hint = f" — did you mean '{close[0]}'?" if close else f"; sections in site.yml: {', '.join(known)}"
    return _error(doc, path, f"no navigation section '{section}'{hint}")


def _unknown_form(doc: YamlDocument, path: Path_, form: str, known: set[str]) -> ContentError:
    close = difflib.get_close_matches(form, sorted(known), n=1)
    hint = f" — did you mean '{close[0]}'?" if close else " (forms live in forms/ and site_src/forms/)"
    return _error(doc, path, f"no form with id '{form}'{hint}")


NO_INBOX = (
    "this site has no inbox_url: add inbox_url to site.yml, the address of the service that receives"
    " the forms (e.g. https://lomakkeet.kunta.fi/)"
)


def check_form_uses(content: Content) -> list[ContentError]:
    """Forms used by pages and events exist, have somewhere to go and a privacy notice to link to."""
    errors: list[ContentError] = []
    inbox = content.site.item.inbox_url
    forms_on_page: dict[Path, int] = {}
    for use in form_uses(content):
        if use.form not in content.forms:
            if use.form not in content.broken_ids:
                errors.append(_unknown_form(use.doc, use.path, use.form, content.form_ids))
            continue
        if use.shared and not inbox:
            continue  # shared pages give the e-mail address and phone number instead
        if not inbox:
            errors.append(_error(use.doc, use.path, NO_INBOX))
            continue
        if use.path[0] == "blocks":
            key = use.doc.path
            forms_on_page[key] = forms_on_page.get(key, 0) + 1
            if forms_on_page[key] > 1:
                errors.append(
                    _error(use.doc, use.path, "a page can have only one form; put this form on a page of its own")
                )
        privacy = content.forms[use.form].item.privacy_page
        doc, path = use.doc, use.path
        if use.shared and use.page is not None:  # point at the site's own file, where it can be fixed
            doc = content.site.doc
            uses = [i for i, u in enumerate(content.site.item.shared_pages) if u.page == use.page]
            path = ("shared_pages", uses[0]) if uses else ("shared_pages",)
        if privacy not in content.pages and privacy not in content.broken_ids:
            how = (
                "add it to shared_pages in site.yml"
                if privacy in content.shared_page_ids
                else "create the page or set privacy_page in the form"
            )
            errors.append(
                _error(
                    doc,
                    path,
                    f"form '{use.form}' links to the privacy notice '{privacy}', which is not a page of this site;"
                    f" {how}",
                )
            )
    return errors


def check_feedback_uses(content: Content) -> list[ContentError]:
    """Pages that show the feedback widget: the site has the categories and the service, and the
    page has one widget and no form (both name their fields field-name, field-email, …)."""
    errors: list[ContentError] = []
    site = content.site.item
    missing = []
    if site.feedback is None:
        missing.append("feedback: (the categories and the map)")
    if site.inbox_url is None:
        missing.append("inbox_url (the address of the service that receives the reports)")
    for page in content.pages.values():
        if not page.path.is_relative_to(content.municipality_dir):
            continue  # shared pages leave the widget out on sites without it
        blocks = page.item.blocks
        uses = [index for index, block in enumerate(blocks) if block.type == "feedback"]
        for number, index in enumerate(uses):
            where = ("blocks", index, "type")
            if missing:
                errors.append(
                    _error(
                        page.doc,
                        where,
                        f"the feedback block needs {' and '.join(missing)} in site.yml; "
                        "municipalities/karvia/site.yml shows how",
                    )
                )
            elif number > 0:
                errors.append(_error(page.doc, where, "a page can have only one feedback block; remove this one"))
            elif any(block.type == "form" for block in blocks):
                errors.append(
                    _error(
                        page.doc,
                        where,
                        "a page with the feedback block cannot have a form too; put the form on a page of its own",
                    )
                )
    return errors


def check_forms(content: Content) -> list[ContentError]:
    """Each form's fields fit their types, names are unique and references inside the form hold."""
    errors: list[ContentError] = []
    for source in content.forms.values():
        errors.extend(_form_errors(source.item, source.doc))
    return errors


_ONLY_FOR: dict[str, tuple[frozenset[str], str]] = {
    "min_length": (TEXT_LIKE, "text, email, tel and textarea"),
    "max_length": (TEXT_LIKE, "text, email, tel and textarea"),
    "pattern": (frozenset({"text", "tel"}), "text and tel"),
    "pattern_message": (frozenset({"text", "tel"}), "text and tel"),
    "min": (frozenset({"number", "date"}), "number and date"),
    "max": (frozenset({"number", "date"}), "number and date"),
    "integer": (frozenset({"number"}), "number"),
    "options": (CHOICES, "select, radios and checkboxes"),
}
"""Field settings that apply to some field types only."""


def _form_errors(form: Form, doc: YamlDocument) -> list[ContentError]:
    errors: list[ContentError] = []
    seen: dict[str, int] = {}
    for path, field in form.all_fields():
        line = doc.position((*path, "name")).line
        if field.name in seen:
            errors.append(
                _error(
                    doc,
                    (*path, "name"),
                    f"duplicate field name '{field.name}' (also on line {seen[field.name]});"
                    " give each field its own name",
                )
            )
        else:
            seen[field.name] = line
        for key in sorted(field.model_fields_set):
            allowed = _ONLY_FOR.get(key)
            if allowed is not None and field.type not in allowed[0]:
                errors.append(
                    _error(doc, (*path, key), f"'{key}' is only for {allowed[1]} fields, not {field.type}", key=True)
                )
        if field.type in CHOICES and not field.options:
            errors.append(_error(doc, (*path, "type"), f"a {field.type} field needs 'options' to choose from"))
        if field.pattern is not None and field.pattern_message is None and field.type in ("text", "tel"):
            errors.append(
                _error(doc, (*path, "pattern"), "give 'pattern_message' too: it tells residents what to write")
            )
        if field.min_length is not None and field.min_length > field.max_chars():
            errors.append(
                _error(doc, (*path, "min_length"), f"min_length is more than max_length ({field.max_chars()})")
            )
        for key in ("min", "max"):
            value = getattr(field, key)
            if value is None or field.type not in ("number", "date"):
                continue
            if field.type == "number" and not isinstance(value, (int, float)):
                errors.append(_error(doc, (*path, key), f"expected a number, got {value!r}"))
            if field.type == "date" and not (isinstance(value, str) and _is_date(value)):
                errors.append(_error(doc, (*path, key), f"expected a date as 2027-03-14, got {value!r}"))
        for index, option in enumerate(field.options or []):
            if option.capacity is not None and form.kind != "registration":
                errors.append(
                    _error(
                        doc,
                        (*path, "options", index, "capacity"),
                        "capacity is only for registration forms: add 'kind: registration' to the form"
                        " or remove capacity",
                        key=True,
                    )
                )
        values = [option.value for option in field.options or []]
        for index, value in enumerate(values):
            if value in values[:index]:
                errors.append(_error(doc, (*path, "options", index, "value"), f"duplicate option value '{value}'"))
    if form.confirmation_field is not None:
        emails = [f.name for _, f in form.all_fields() if f.type == "email"]
        if form.confirmation_field not in emails:
            which = f"email fields: {', '.join(emails)}" if emails else "the form has no email field"
            close = difflib.get_close_matches(form.confirmation_field, emails, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f"; {which}"
            errors.append(
                _error(
                    doc,
                    ("confirmation_field",),
                    f"confirmation_field '{form.confirmation_field}' is not an email field of this form{hint}",
                )
            )
    return errors


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None


def _missing_asset(content: Content, source: Sourced[Any], asset: str) -> str | None:
    """What is wrong when ``asset`` (assets/…) is not a file beside ``source``, and how to fix it."""
    base = content.municipality_dir if source.path.is_relative_to(content.municipality_dir) else content.shared_dir
    if (base / asset).is_file():
        return None
    folder = base / "assets"
    existing = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    # Names compared without the 'assets/' every one of them has, which would make any two alike.
    close = difflib.get_close_matches(asset.removeprefix("assets/"), existing, n=1)
    hint = f" — did you mean 'assets/{close[0]}'?" if close else f"; put the file in {base.name}/assets/"
    return f"file '{asset}' does not exist{hint}"


def _missing_file(content: Content, source: Sourced[Any], path: Path_, asset: str) -> list[ContentError]:
    message = _missing_asset(content, source, asset)
    return [_error(source.doc, path, message)] if message else []


def _markdown_references(content: Content, source: Sourced[Any], path: Path_, text: Text) -> list[ContentError]:
    """Page links and images in a Markdown text that lead nowhere, each at its own line."""
    doc = source.doc
    errors = []
    variants = [(path, text.plain)] if text.plain is not None else [((*path, k), v) for k, v in text.by_lang.items()]
    for where, markdown in variants:
        # An image shown as an example in a code block is not looked up; its alt text may wrap.
        for image in MARKDOWN_IMAGE.finditer(without_code(markdown)):
            message = _missing_asset(content, source, unquote(image.group(1)))
            if message:
                pos = TextPositions(doc, where, markdown).at(image.start())
                errors.append(ContentError(doc.path, pos.line, pos.column, dotted_path(where), message))
        for match in PAGE_LINK.finditer(markdown):
            page_id = match.group(1)
            if page_id in content.pages or page_id in SYSTEM_PAGES or page_id in content.broken_ids:
                continue
            pos = TextPositions(doc, where, markdown).at(match.start())
            close = difflib.get_close_matches(page_id, list(content.pages), n=1)
            hint = f" — did you mean 'page:{close[0]}'?" if close else ""
            errors.append(
                ContentError(
                    doc.path, pos.line, pos.column, dotted_path(where), f"link to unknown page 'page:{page_id}'{hint}"
                )
            )
    return errors


def _duplicates(items: list[Sourced[Any]], kind: str) -> list[ContentError]:
    first: dict[str, Path] = {}
    errors = []
    for source in items:
        item_id = source.item.id
        if item_id in first:
            errors.append(
                _error(source.doc, ("id",), f"duplicate {kind} id '{item_id}' (also in {first[item_id].name})")
            )
        else:
            first[item_id] = source.path
    return errors


def _slugs(content: Content) -> list[ContentError]:
    """Section and page slugs are one part of an address each: the same characters as an id."""
    errors = []
    items: list[tuple[YamlDocument, Path_, Text | None]] = [
        (content.site.doc, ("navigation", index, "slug"), section.slug)
        for index, section in enumerate(content.site.item.navigation)
    ]
    items += [(page.doc, ("slug",), page.item.slug) for page in content.pages.values()]
    for doc, path, slug in items:
        if slug is None:
            continue
        values = [(path, slug.plain)] if slug.plain is not None else [((*path, k), v) for k, v in slug.by_lang.items()]
        for where, value in values:
            if not SLUG_PATTERN.fullmatch(value):
                errors.append(
                    _error(
                        doc,
                        where,
                        f"slug '{value}' is not one part of an address: use lower-case letters a–z, digits and"
                        f" single hyphens, e.g. '{_suggest_slug(value)}'",
                    )
                )
    return errors


def _suggest_slug(value: str) -> str:
    letters: dict[str, str | int | None] = {"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"}
    plain = value.lower().translate(str.maketrans(letters))
    return "-".join(re.findall(r"[a-z0-9]+", plain)) or "uusi-palvelu"


def _url_collisions(content: Content, reserved: Reserved) -> tuple[list[ContentError], dict[str, str]]:
    """Two items may not end up at the same address in any language, nor at an address the build
    fills itself. Returns the errors and every page address with what is there."""
    owners = dict(reserved.pages)
    errors = []
    where: Path_

    def taken(url: str) -> str | None:
        return owners.get(url) or reserved.folders.get(url)

    for lang in content.languages:
        for index, section in enumerate(content.site.item.navigation):
            url = urls.section_url(content, section, lang)
            if (owner := taken(url)) is not None:
                where = ("navigation", index, "slug" if section.slug else "id")
                errors.append(_error(content.site.doc, where, f"address /{url} is already used by {owner}"))
            owners[url] = f"section '{section.id}'"
        for page in content.pages.values():
            url = urls.page_url(content, page.item, lang)
            if (owner := taken(url)) is not None:
                where = ("slug",) if page.item.slug else ("id",)
                errors.append(
                    _error(page.doc, where, f"address /{url} is already used by {owner}; give this page another slug")
                )
            owners[url] = f"page '{page.item.id}' ({page.path.name})"
    return errors, owners


_PATH_CHARACTER = re.compile(r"[A-Za-z0-9._~%!&'()*+,;=:@/-]")
"""What an old address may hold as it is: RFC 3986 path characters but '$', which nginx reads as a
variable (serving/nginx.py). Anything else is written percent-encoded."""
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _character_hint(char: str, *, target: bool) -> str:
    """Why a character cannot be in an address as it is, and how to write it."""
    if char == "$" and not target:
        return "'$', which the nginx configuration would read as a variable; leave this redirect out"
    if char in "?#" and not target:
        return f"'{char}': give only the path, servers redirect by the path without ?query or #fragment"
    if char == " ":
        return "a space; write it as %20"
    if not char.isprintable() or char.isspace():
        return f"an invisible character (U+{ord(char):04X}); remove it"
    return f"'{char}'; write it as {quote(char, safe='')}"


def _shown(text: str) -> str:
    """A value in an error message on one line: a line break shows as \\n."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _old_address_problem(old: str) -> str | None:
    """What is wrong with a redirect's old address, None when nothing."""
    example = "e.g. /honkajoki/kirjasto/"
    if not (old.startswith("/") and old.endswith("/")) or old == "/":
        return f"must start and end with '/' and name a path, {example}"
    for char in old:
        if not _PATH_CHARACTER.fullmatch(char):
            return f"has {_character_hint(char, target=False)}"
    if _PERCENT.search(old):
        return "has a '%' that does not start a percent-encoded character such as %20"
    decoded = unquote(old)
    for char in decoded:
        if char == "$":
            return "has %24 ('$'), which the nginx configuration would read as a variable; leave this redirect out"
        if not char.isprintable():
            return f"has {quote(char, safe='')}, an invisible character; remove it"
    parts = decoded.strip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"has an empty, '.' or '..' part; give the address as the browser shows it, {example}"
    return None


_TARGET_FORBIDDEN = set("\"'<>\\`{}|^")
"""Characters an address of another site may not hold as they are: they would end a value in
`_redirects`, `_nginx.conf` or the redirect page's HTML, or are not allowed in a URL."""


def _external_target_problem(new: str) -> str | None:
    """What is wrong with a redirect to another site, None when nothing."""
    for char in new:
        if char.isspace() or not char.isprintable() or char in _TARGET_FORBIDDEN:
            return f"has {_character_hint(char, target=True)}"
    if _PERCENT.search(new):
        return "has a '%' that does not start a percent-encoded character such as %20"
    try:
        parts = urlsplit(new)
        parts.port  # noqa: B018 — reading it checks the port
    except ValueError as error:
        return f"is not a valid address ({error})"
    if parts.scheme != "https":
        return "must be an https:// address (or a path of this site such as /palvelut/kirjasto/, or a page id)"
    if not parts.hostname:
        return "has no host name; write the whole address, e.g. https://www.kunta.fi/palvelut/"
    return None


def _redirects(content: Content, reserved: Reserved, owners: dict[str, str]) -> list[ContentError]:
    site, doc = content.site.item, content.site.doc
    targets = {f"/{url}" for url in owners}
    errors = []
    for old, new in site.redirects.items():
        where = ("redirects", old)
        problem = _old_address_problem(old)
        if problem is not None:
            errors.append(_error(doc, where, f"old address '{_shown(old)}' {problem}", key=True))
        elif (taken := _taken_by(unquote(old).lstrip("/"), reserved, owners)) is not None:
            errors.append(
                _error(
                    doc,
                    where,
                    f"old address '{old}' is {taken}; a redirect would hide it: remove the redirect",
                    key=True,
                )
            )
        if new.startswith(("https:", "http:")) or "://" in new:
            if (problem := _external_target_problem(new)) is not None:
                errors.append(_error(doc, where, f"redirect target '{_shown(new)}' {problem}"))
        elif new.startswith("/"):
            if new not in targets:
                close = difflib.get_close_matches(new, sorted(targets), n=1)
                hint = f" — did you mean '{close[0]}'?" if close else ""
                errors.append(_error(doc, where, f"redirect target '{new}' is not a page of this site{hint}"))
        elif (error := _page_ref(content, doc, where, new)) is not None:
            errors.append(error)
    return errors


def _taken_by(path: str, reserved: Reserved, owners: dict[str, str]) -> str | None:
    """What already lives at a redirect's old address (a path below the site root ending in '/')."""
    if path in owners:
        return f"the address of {owners[path]}"
    # nginx redirects the address without its final '/' too: that would catch a file of the same name.
    if (file := reserved.files.get(path.rstrip("/"))) is not None:
        return f"the address of {file}"
    for folder, what in reserved.folders.items():
        if path.startswith(folder):
            return f"inside /{folder}, {what}"
    return None


BRAND_USES: tuple[tuple[str, str, float], ...] = (
    ("header background behind the white site name and language links", "#ffffff", 4.5),
    ("colour of links and of the shortcut borders on white", "#ffffff", 4.5),
    ("current-section marker and section borders on white (UI components)", "#ffffff", 3.0),
)
"""Where the theme draws the brand colour, what it is drawn on or with, and the contrast needed."""


def _brand_contrast(content: Content) -> list[ContentError]:
    colour = content.site.item.brand.primary_colour
    failing = [(use, against, needed) for use, against, needed in BRAND_USES if contrast(colour, against) < needed]
    if not failing:
        return []
    needed = max(n for _, _, n in failing)
    against = failing[0][1]
    ratio = contrast(colour, against)
    shade = nearest_passing(colour, against, needed)
    uses = "; ".join(f"{use} (needs {n:g}:1)" for use, _, n in failing)
    fix = f"the nearest passing shade of the same hue is {shade}" if shade else "choose a darker colour"
    return [
        _error(
            content.site.doc,
            ("brand", "primary_colour"),
            f"colour {colour} has contrast {ratio:.2f}:1 against {against}, too low where the theme uses it: "
            f"{uses}; {fix}",
        )
    ]
