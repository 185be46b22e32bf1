"""Settings: environment variables (KUNTASIVU_INBOX_*) overridden by command-line flags."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PREFIX = "KUNTASIVU_INBOX_"


class ConfigError(Exception):
    """Raised by Settings.from_env for a value that cannot be parsed."""


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default="sqlite:///inbox.sqlite3", metadata={"help": "SQLAlchemy URL: sqlite:///FILE or postgresql://…"}
    )
    forms_dir: Path = field(default=Path("public"), metadata={"help": "build output: <dir>/<slug>/forms/<id>.json"})
    secret: str = field(default="", metadata={"help": "HMAC key of start and CSRF tokens (random if empty)"})
    host: str = field(default="127.0.0.1", metadata={"help": "address to listen on"})
    port: int = field(default=8080, metadata={"help": "port to listen on"})
    smtp_host: str = field(default="", metadata={"help": "SMTP server; empty: mails wait in the outbox"})
    smtp_port: int = field(default=25, metadata={"help": "SMTP port"})
    smtp_user: str = field(default="", metadata={"help": "SMTP user name (login only when given)"})
    smtp_password: str = field(default="", metadata={"help": "SMTP password"})
    smtp_from: str = field(default="lomakkeet@localhost", metadata={"help": "sender address of all mails"})
    smtp_starttls: bool = field(default=False, metadata={"help": "use STARTTLS"})
    min_fill_seconds: float = field(default=3.0, metadata={"help": "a start token younger than this is too_fast"})
    rate_limit: int = field(default=20, metadata={"help": "submissions per client per window; 0 turns it off"})
    rate_window: float = field(default=60.0, metadata={"help": "rate limit window in seconds"})
    body_limit: int = field(default=65536, metadata={"help": "largest request body in bytes"})
    max_fields: int = field(default=200, metadata={"help": "most fields (name=value pairs) in one submission"})
    busy_timeout_ms: int = field(default=10000, metadata={"help": "SQLite: how long a write waits for the lock"})
    purge_interval: float = field(default=3600.0, metadata={"help": "seconds between automatic purges"})
    mail_poll: float = field(default=5.0, metadata={"help": "seconds between outbox checks"})
    mail_retry: float = field(default=30.0, metadata={"help": "first mail retry delay (doubles, at most 1 h)"})
    forward_poll: float = field(default=5.0, metadata={"help": "seconds between checks of reports to forward"})
    forward_retry: float = field(
        default=30.0, metadata={"help": "first forwarding retry delay (doubles, at most 1 h; given up after 48 h)"}
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(f.name, f.type, raw)
        return cls(**values)

    def with_args(self, args: argparse.Namespace) -> Settings:
        given = {f.name: getattr(args, f.name) for f in fields(self) if getattr(args, f.name, None) is not None}
        return replace(self, **given)


def _parse(name: str, kind: Any, raw: str) -> Any:
    try:
        if kind in ("int", int):
            return int(raw)
        if kind in ("float", float):
            return float(raw)
        if kind in ("bool", bool):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(raw)
        if kind in ("Path", Path):
            return Path(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name.upper()}: cannot read {raw!r} as {kind}") from None
    return raw


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per setting, e.g. --database-url; each overrides its environment variable."""
    for f in fields(Settings):
        flag = "--" + f.name.replace("_", "-")
        help_text = f"{f.metadata['help']} (env {PREFIX}{f.name.upper()}, default {f.default!s})"
        if f.type in ("bool", bool):
            parser.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=help_text)
        else:
            convert = {"int": int, "float": float, "Path": Path}.get(str(f.type), str)
            parser.add_argument(flag, dest=f.name, type=convert, default=None, help=help_text)
