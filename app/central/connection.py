"""'Test connection' for an applicant's identity provider, in words they can act on.

app.auth.idp.check_issuer does the work: https only, a short timeout, no redirects, and
(outside development) no host that resolves to a loopback, private, link-local,
reserved or cloud-metadata address, checked after DNS resolution. An applicant's URL
must never let anyone probe our own network. Its English messages name URLs; ours are
translated and say what to do. The document's own endpoints must be public https
addresses too: officer sign-in fetches keys and tokens from them later.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.idp import IdpError, check_issuer

_SETTING = "central_applicant_idp_allow_insecure"


def allow_insecure() -> bool:
    """Plain http and loopback providers: development only (the demo provider)."""
    override = current_app.extensions.get(_SETTING)
    if override is not None:
        return bool(override)
    return bool(current_app.extensions["settings"].env == "development")


def set_allow_insecure(app: Any, allowed: bool | None) -> None:
    """Tests and the demo say whether an applicant may use a loopback http provider."""
    app.extensions[_SETTING] = allowed


def problem(issuer: str) -> str | None:
    """None if the provider answered as itself; else what the applicant should do."""
    if urlsplit(issuer).scheme != "https" and not allow_insecure():
        return str(_l("Issuer URL must start with https://"))
    try:
        document = check_issuer(issuer, allow_insecure=allow_insecure())
    except IdpError as error:
        return _explain(str(error))
    return None if allow_insecure() else endpoint_problem(document)


# The endpoints officer sign-in will call later (keys, tokens): a discovery document on a
# public host must not send us to our own network either.
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def endpoint_problem(document: dict[str, Any]) -> str | None:
    """Why the document's endpoints cannot be used (not https, or not public), if so."""
    for name in ENDPOINTS:
        parts = urlsplit(str(document.get(name) or ""))
        if parts.scheme != "https" or not parts.hostname or not _public(parts.hostname):
            return str(
                _l(
                    "Your identity provider's discovery document names an address we cannot "
                    "use. Every endpoint must be a public https address"
                )
            )
    return None


def _public(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def _explain(message: str) -> str:
    if "private or reserved" in message:
        return str(
            _l(
                "That address is on a private or internal network. Enter the public "
                "issuer URL of your identity provider"
            )
        )
    if "does not resolve" in message:
        return str(_l("We could not find that host name. Check the issuer URL"))
    if "did not answer" in message:
        return str(_l("Your identity provider did not answer. Check the issuer URL and try again"))
    if "different issuer" in message:
        return str(
            _l("Your identity provider gave a different issuer. Enter the issuer URL exactly")
        )
    if "https://" in message:
        return str(_l("Issuer URL must start with https://"))
    return str(
        _l(
            "Your identity provider did not give a valid discovery document. "
            "Check the issuer URL and try again"
        )
    )
