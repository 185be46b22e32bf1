"""Signed start tokens (the minimum fill time counts from them), staff tokens kept only as
sha256 hashes, and the staff page's CSRF tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from .errors import Refusal


class InvalidStartToken(Refusal):
    status_code = 400


def _sign(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


class StartTokens:
    """token = "<issued unix ms>.<HMAC(site/form/issued)>"; bound to its form."""

    def __init__(self, secret: bytes, *, max_skew: float = 60.0) -> None:
        self.secret = secret
        self.max_skew = max_skew

    def issue(self, site: str, form: str, now: float | None = None) -> str:
        issued = int((time.time() if now is None else now) * 1000)
        return f"{issued}.{_sign(self.secret, f'{site}/{form}/{issued}')}"

    def age(self, token: str, site: str, form: str, now: float | None = None) -> float:
        """Seconds since the token was issued; InvalidStartToken if it is not ours."""
        now = time.time() if now is None else now
        issued, _, signature = token.partition(".")
        if not (issued.isdigit() and len(issued) < 16) or not hmac.compare_digest(
            signature.encode(), _sign(self.secret, f"{site}/{form}/{issued}").encode()
        ):
            raise InvalidStartToken("The start token (_token) is not valid for this form; reload the form page.")
        age = now - int(issued) / 1000
        if age < -self.max_skew:
            raise InvalidStartToken("The start token (_token) was issued in the future; reload the form page.")
        return age


def new_staff_token() -> str:
    return "ks_" + secrets.token_urlsafe(32)


def new_api_key() -> str:
    """An Open311 api_key; like staff tokens, only its sha256 hash is stored."""
    return "o311_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret: bytes, token_hash: str) -> str:
    return _sign(secret, f"csrf/{token_hash}")


def csrf_valid(secret: bytes, token_hash: str, given: str) -> bool:
    return hmac.compare_digest(given.encode(), csrf_token(secret, token_hash).encode())
