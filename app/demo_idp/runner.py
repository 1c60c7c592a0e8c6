"""Serve the demo provider from a background thread of the calling process."""

from __future__ import annotations

import threading
from types import TracebackType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from app.demo_idp.config import DemoIssuer
from app.demo_idp.provider import DemoProvider
from app.demo_idp.views import create_provider_app, provider_of


class RunningProvider:
    """A provider listening on a thread. Also a context manager that stops it.

    `misbehave`, `rotate_keys` and `drop_old_keys` are the test hooks (see DemoProvider).
    """

    def __init__(self, server: BaseWSGIServer, application: Flask) -> None:
        self._server = server
        self.app = application
        self.provider: DemoProvider = provider_of(application)
        self.base_url = self.provider.base_url
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"demo-idp {self.base_url}", daemon=True
        )
        self._thread.start()

    def issuer(self, slug: str) -> str:
        return self.provider.issuer(slug)

    def misbehave(self, slug: str, mode: str) -> None:
        self.provider.misbehave(slug, mode)

    def rotate_keys(self, slug: str) -> None:
        self.provider.rotate_keys(slug)

    def drop_old_keys(self, slug: str) -> None:
        self.provider.drop_old_keys(slug)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningProvider:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_in_thread(host: str, port: int, issuers: list[DemoIssuer]) -> RunningProvider:
    """Listen on host:port (0: any free port) and serve `issuers` until `.stop()`.

    The socket is bound before the app is made, so the issuer URLs carry the real port.
    """
    server = make_server(host, port, Flask(__name__), threaded=True)
    base_url = f"http://{_url_host(host)}:{server.server_port}"
    application = create_provider_app(base_url, issuers)
    server.app = application
    return RunningProvider(server, application)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
