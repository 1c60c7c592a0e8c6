"""A fake GOV.UK Notify on loopback: checks the JWT our client signs, records bodies."""

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

from tenants.secrets import SecretBox

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"tmc_test-{SERVICE_ID}-{SECRET}"
TEMPLATES = {
    "notify_email_template_ids": {"en": "email-en-template", "cy": "email-cy-template"},
    "notify_sms_template_ids": {"en": "sms-en-template", "cy": "sms-cy-template"},
    "notify_reply_to_id": "reply-to-id",
    "notify_sms_sender_id": "sms-sender-id",
}


class FakeNotify(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict] = []
        self.answer = 201

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _signed_by_our_key(authorization: str) -> bool:
    """Notify's check: a JWT (HS256) issued by the service id, signed with its secret."""
    token = authorization.removeprefix("Bearer ")
    try:
        return get_token_issuer(token) == SERVICE_ID and decode_jwt_token(token, SECRET)
    except TokenError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server: FakeNotify

    def do_POST(self) -> None:
        if not _signed_by_our_key(self.headers.get("Authorization", "")):
            self._reply(403, {"errors": [{"error": "AuthError"}]})
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append({"path": self.path, **body})
        self._reply(self.server.answer, {"id": str(uuid.uuid4())})

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args) -> None:  # quiet
        pass


@pytest.fixture
def fake_notify(app, settings, force_settings) -> Iterator[FakeNotify]:
    server = FakeNotify()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sealed = SecretBox(settings.secrets_keys).seal(API_KEY)
    force_settings(
        "dyfed-powys",
        {"provider": "notify", "notify_api_key_sealed": sealed, "notify_base_url": server.url,
         "sender_name": "Heddlu Prawf", **TEMPLATES},
    )  # fmt: skip
    yield server
    server.shutdown()
    server.server_close()
