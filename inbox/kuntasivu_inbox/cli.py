"""kuntasivu-inbox serve | migrate | purge | token create SLUG | token revoke TOKEN_OR_ID | token list"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import Engine

from .config import ConfigError, Settings, add_arguments
from .db import make_engine, migrate
from .forms import SLUG, FormExportError, FormRegistry
from .store import Store
from .tokens import hash_token, new_staff_token


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
        except FormExportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"purged {store.purge(forms)} submissions")
    elif args.token_command == "create":
        if not SLUG.match(args.slug):
            print(f"error: {args.slug!r} is not a site slug", file=sys.stderr)
            return 2
        token = new_staff_token()
        token_id = store.add_token(args.slug, hash_token(token))
        print(f"token {token_id} for {args.slug} (shown only now, keep it safe):\n{token}")
    elif args.token_command == "revoke":
        given = args.token
        done = store.revoke_token(token_id=int(given)) if given.isdigit() else store.revoke_token(hash_token(given))
        if not done:
            print("error: no such active token", file=sys.stderr)
            return 1
        print("revoked")
    else:
        for token_id, site, created, revoked in store.tokens():
            state = f"revoked {revoked:%Y-%m-%d}" if revoked else "active"
            print(f"{token_id}\t{site}\tcreated {created:%Y-%m-%d}\t{state}")
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
    except FormExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
