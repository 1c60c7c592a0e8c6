"""Email through an SMTP relay with smtplib.

URL: smtp://[user:password@]host[:port][?starttls=1] or smtps://… (TLS from the first
byte, port 465 by default). The Message-ID is the outbox id at the site's host, so a
relay or mailbox that drops duplicate Message-IDs will drop a retry of a message it
already accepted (see app.notifications for that window).
"""

from __future__ import annotations

import functools
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from app.notifications.channels.base import Envelope, PermanentFailure, TransientFailure
from app.notifications.content import Rendered

TIMEOUT_SECONDS = 30
# Our name in EHLO. Left unset, smtplib asks DNS for this host's full name (a reverse
# lookup) on every connection.
HELO_NAME = socket.gethostname()


@dataclass(frozen=True)
class SmtpRelay:
    host: str
    port: int
    tls: bool  # smtps: TLS from the start
    starttls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpRelay:
    """The relay an smtp:// or smtps:// URL names (ValueError otherwise)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("an SMTP URL is smtp://host[:port] or smtps://host[:port]")
    query = parse_qs(parts.query)
    tls = parts.scheme == "smtps"
    return SmtpRelay(
        host=parts.hostname,
        port=parts.port or (465 if tls else 25),
        tls=tls,
        starttls=query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_message(envelope: Envelope, rendered: Rendered, mail_from: str) -> EmailMessage:
    """The email: From is the force's sender name at the platform's (or force's) address."""
    _, from_address = parseaddr(mail_from)
    message = EmailMessage()
    message["From"] = formataddr((envelope.sender, from_address))
    message["To"] = envelope.address
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{envelope.id}@{envelope.host}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.body)
    message["Content-Language"] = rendered.language  # after set_content, which clears it
    return message


class SmtpChannel:
    """Sends one message per connection (a worker's work horse lives for one job)."""

    def __init__(self, url: str, mail_from: str) -> None:
        self.relay = parse_smtp_url(url)
        self.mail_from = mail_from

    def send(self, envelope: Envelope, rendered: Rendered) -> None:
        message = build_message(envelope, rendered, self.mail_from)
        try:
            with self._connect() as smtp:
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError:
            # The relay's credentials are wrong: an admin can fix that, so keep trying.
            raise TransientFailure("SMTPAuthenticationError") from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(min(codes, default=550)) from None
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransientFailure(type(error).__name__) from None

    def _connect(self) -> smtplib.SMTP:
        relay = self.relay
        smtp: smtplib.SMTP
        if relay.tls:
            smtp = smtplib.SMTP_SSL(
                relay.host, relay.port, HELO_NAME, timeout=TIMEOUT_SECONDS, context=tls_context()
            )
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, HELO_NAME, timeout=TIMEOUT_SECONDS)
        try:
            if relay.starttls:
                smtp.starttls(context=tls_context())
            if relay.username:
                smtp.login(relay.username, relay.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Certificate-checking TLS, made once per process (loading the CA store takes tens
    of milliseconds: more than the rest of a delivery)."""
    return ssl.create_default_context()


def _by_code(code: int) -> Exception:
    """5xx is final (the address or message is refused); anything else may pass later."""
    if 500 <= code < 600:
        return PermanentFailure(f"SMTP {code}")
    return TransientFailure(f"SMTP {code}")
