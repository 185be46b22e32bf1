"""Reading a submission's body: the size limit is enforced while streaming, the field limit
while parsing; both messages state the limit."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from urllib.parse import parse_qsl

from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from .errors import Refusal

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodyTooLarge(Refusal):
    status_code = 413


class TooManyFields(Refusal):
    status_code = 413


class MalformedBody(Refusal):
    status_code = 400


class UnsupportedMediaType(Refusal):
    status_code = 415


async def read_body(request: Request, limit: int) -> bytes:
    too_large = BodyTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def read_form(request: Request, *, body_limit: int, max_fields: int) -> dict[str, list[str]]:
    """name → values in order; only text parts, no files, no NUL characters."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        raise UnsupportedMediaType(f"Send the form as {' or '.join(FORM_TYPES)}, not {content_type or 'nothing'}.")
    body = await read_body(request, body_limit)
    too_many = TooManyFields(f"Too many fields: the limit is {max_fields}.")
    items: list[tuple[str, str]]
    if content_type == FORM_TYPES[0]:
        try:
            # browsers percent-encode every byte above 0x7f: raw ones would be read as Latin-1
            text = body.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedBody("The form body has bytes that are not percent-encoded; send it URL-encoded.") from None
        try:
            items = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=max_fields)
        except UnicodeDecodeError:
            raise MalformedBody("The form body is not valid UTF-8.") from None
        except ValueError:
            raise too_many from None
    else:
        items = await _multipart(request, body, max_fields, too_many)
    if len(items) > max_fields:
        raise too_many
    fields: dict[str, list[str]] = {}
    for name, value in items:
        if "\x00" in name or "\x00" in value:
            raise MalformedBody("The form contains a NUL character.")
        fields.setdefault(name, []).append(value)
    return fields


async def _multipart(request: Request, body: bytes, max_fields: int, too_many: Refusal) -> list[tuple[str, str]]:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, replay(), max_files=0, max_fields=max_fields)
    try:
        form = await parser.parse()
    except Exception as exc:  # any parser failure is the client's malformed body
        if "Too many fields" in str(exc):
            raise too_many from None
        if "Too many files" in str(exc):
            raise MalformedBody("Files are not accepted.") from None
        raise MalformedBody(f"The multipart body cannot be read: {exc}") from None
    items = []
    for name, value in form.multi_items():
        if not isinstance(value, str):
            await value.close()
            raise MalformedBody("Files are not accepted.")
        items.append((name, value))
    return items
