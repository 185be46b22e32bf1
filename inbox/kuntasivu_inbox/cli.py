"""kuntasivu-inbox serve | migrate | purge | token create SLUG | token revoke TOKEN_OR_ID | token list
| apikey create SLUG | apikey revoke KEY_OR_ID | apikey list"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from .config import ConfigError, Settings, add_arguments
from .db import make_engine, migrate
from .feedback import FeedbackExportError, FeedbackRegistry
from .forms import SLUG, FormExportError, FormRegistry
from .reports import Reports
from .store import Store
from .tokens import hash_token, new_api_key, new_staff_token


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_arguments(common)
    main_parser = argparse.ArgumentParser(prog="kuntasivu-inbox", description="The Kuntasivu form receiving service.")
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", parents=[common], help="migrate the database, then serve")
    commands.add_parser("migrate", parents=[common], help="bring the database schema up to date")
    commands.add_parser("purge", parents=[common], help="delete submissions past their retention now")
    token = commands.add_parser("token", help="staff tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", parents=[common], help="create a token for a municipality")
    create.add_argument("slug")
    revoke = token_commands.add_parser("revoke", parents=[common], help="revoke a token (the token or its id)")
    revoke.add_argument("token")
    token_commands.add_parser("list", parents=[common], help="list tokens (ids and sites, never the tokens)")
    apikey = commands.add_parser("apikey", help="Open311 API keys (needed to post service requests)")
    apikey_commands = apikey.add_subparsers(dest="apikey_command", required=True)
    create = apikey_commands.add_parser("create", parents=[common], help="create an API key for a municipality")
    create.add_argument("slug")
    revoke = apikey_commands.add_parser("revoke", parents=[common], help="revoke an API key (the key or its id)")
    revoke.add_argument("key")
    apikey_commands.add_parser("list", parents=[common], help="list API keys (ids and sites, never the keys)")
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env().with_args(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return serve(settings)
    engine = make_engine(settings.database_url, busy_timeout_ms=settings.busy_timeout_ms)
    try:
        return run(args, settings, engine)
    finally:
        engine.dispose()


def run(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    migrate(engine)
    store = Store(engine)
    if args.command == "migrate":
        print("database is up to date")
    elif args.command == "purge":
        try:
            forms = FormRegistry(settings.forms_dir).load_all()
            feedbacks = FeedbackRegistry(settings.forms_dir).load_all()
        except (FormExportError, FeedbackExportError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"purged {store.purge(forms)} submissions and {Reports(engine).purge(feedbacks)} service requests")
    elif args.command == "apikey":
        reports = Reports(engine)
        keys = Credentials(
            "API key",
            new_api_key,
            reports.add_key,
            lambda number: reports.revoke_key(key_id=number),
            lambda hashed: reports.revoke_key(hashed),
            reports.api_keys,
        )
        return manage(keys, args.apikey_command, getattr(args, "slug", None) or getattr(args, "key", None))
    else:
        tokens = Credentials(
            "token",
            new_staff_token,
            store.add_token,
            lambda number: store.revoke_token(token_id=number),
            lambda hashed: store.revoke_token(hashed),
            store.tokens,
        )
        return manage(tokens, args.token_command, getattr(args, "slug", None) or getattr(args, "token", None))
    return 0


@dataclass(frozen=True)
class Credentials:
    """Staff tokens and Open311 API keys: per municipality, shown once, stored as hashes."""

    name: str
    new: Callable[[], str]
    add: Callable[[str, str], int]
    revoke_id: Callable[[int], bool]
    revoke_hash: Callable[[str], bool]
    listing: Callable[[], Iterable[tuple[int, str, datetime.datetime, datetime.datetime | None]]]


def manage(kind: Credentials, action: str, given: str | None) -> int:
    """create SLUG | revoke SECRET_OR_ID | list"""
    if action == "create":
        assert given is not None
        if not SLUG.match(given):
            print(f"error: {given!r} is not a site slug", file=sys.stderr)
            return 2
        secret = kind.new()
        number = kind.add(given, hash_token(secret))
        print(f"{kind.name} {number} for {given} (shown only now, keep it safe):\n{secret}")
    elif action == "revoke":
        assert given is not None
        done = kind.revoke_id(int(given)) if given.isdigit() else kind.revoke_hash(hash_token(given))
        if not done:
            print(f"error: no such active {kind.name}", file=sys.stderr)
            return 1
        print("revoked")
    else:
        for number, site, created, revoked in kind.listing():
            state = f"revoked {revoked:%Y-%m-%d}" if revoked else "active"
            print(f"{number}\t{site}\tcreated {created:%Y-%m-%d}\t{state}")
    return 0


def serve(settings: Settings) -> int:
    import uvicorn

    from .app import create_app
    from .logs import configure

    configure()
    from .service import Inbox

    service = Inbox.from_settings(settings)
    migrate(service.engine)
    try:
        app = create_app(settings, service)
    except (FormExportError, FeedbackExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
