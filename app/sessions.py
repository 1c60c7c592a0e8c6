"""Session cookies bound to the site that issued them.

Cookies are host-only already (no Domain attribute). On top of that, the signature's
salt names the force, so a cookie copied from force A to force B (or to the central
site) fails verification there and the request starts with an empty session.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from app.tenancy import current_scope


class ForceBoundSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        return URLSafeTimedSerializer(
            app.secret_key,
            salt=f"{self.salt}:{current_scope().key}",
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
