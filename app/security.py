"""Security headers on every response, with a fresh CSP nonce per request."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from config import Settings
from tenants.branding import safe_branding


def csp_nonce() -> str:
    """This request's nonce for the few inline elements we allow (brand colour, bootstrap)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def exit_origin(exit_page_url: str) -> str:
    """The origin of the Exit this page target, for CSP form-action (empty if odd).

    Chromium applies form-action to the redirect a form's response makes, so a POST to
    /exit that leaves for the neutral site is blocked unless that site is listed.
    """
    parts = urlsplit(exit_page_url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return origin if _ORIGIN.fullmatch(origin) else ""


def _policy(nonce: str, exit_to: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action 'self' {exit_to}".rstrip(),
            "frame-ancestors 'none'",
        )
    )


def add_security_headers(response: Response, production: bool, exit_to: str) -> Response:
    headers = response.headers
    # A form whose POST redirects to another origin (officer sign-in and sign-out, to the
    # force's identity provider) names that origin in g.csp_form_action: browsers apply
    # form-action to the redirect too.
    extra = " ".join(g.get("csp_form_action", ()))
    headers["Content-Security-Policy"] = _policy(csp_nonce(), f"{exit_to} {extra}".strip())
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin: other sites never learn a victim was here, and our own form posts keep
    # the Referer that Flask-WTF's CSRF check demands over HTTPS (no-referrer broke them).
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if production:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint != "static" or response.status_code >= 400:
        # Victims may share a device with the person who hurt them: nothing we serve
        # dynamically, and no error page (static 404s included), is kept in a cache or
        # the back-forward history.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask, settings: Settings) -> None:
    production = settings.env == "production"
    exit_to = exit_origin(settings.exit_page_url)
    app.after_request(lambda response: add_security_headers(response, production, exit_to))
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    # Templates read a force's tokens only through this: a colour goes into CSS and an
    # email into a mailto: link, so each is checked against its grammar as it renders.
    app.jinja_env.globals["safe_branding"] = safe_branding
