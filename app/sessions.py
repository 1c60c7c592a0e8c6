"""Session cookies bound to the site that issued them.

Cookies are host-only already (no Domain attribute). On top of that, the signature's
salt names the force, so a cookie copied from force A to force B (or to the central
site) fails verification there and the request starts with an empty session. A host
that names no site gets a null session: its cookies are never decoded.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from tenants.extension import current_scope
from tenants.resolution import ScopeKind


class ForceBoundSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if current_scope().kind is ScopeKind.UNKNOWN:
            return self.make_null_session(app)
        return super().open_session(app, request)

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
