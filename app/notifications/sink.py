"""The development SMTP sink: a real SMTP server (aiosmtpd) that keeps every message.

`flask demo run` starts one (start_dev_sink) and the SMTP channel finds it through
instance/mail/sink.json when SMTP_URL is unset outside production. Each accepted
message becomes one file, instance/mail/<site host>/<time>-<n>.eml, where the site
host is the Message-ID's domain (a force's host or the central one): the "Sent
messages" page and the tests read them back. Nothing here runs in production.

For tests the handle can refuse addresses for good (550) and hold an address at RCPT
until released, which is how a worker is killed while it is in the middle of a send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

SINK_FILE = "sink.json"
DEV_SINK_PORT = 8025
_MESSAGE_ID = re.compile(r"^Message-ID:\s*<[^@>]*@([a-z0-9.-]+)>", re.I | re.M)
_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class SinkHandle:
    """A running sink. reject/stall take recipient addresses (tests' hooks)."""

    host: str
    port: int
    maildir: Path
    reject: set[str] = field(default_factory=set)
    stall: set[str] = field(default_factory=set)
    stalled: int = 0  # how many RCPTs have been held so far
    # Addresses whose message is stored and then held before the "250 accepted" reply.
    stall_after_data: set[str] = field(default_factory=set)
    _controller: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop serving and forget sink.json (if it is still ours)."""
        self.stall.clear()
        self.stall_after_data.clear()
        self._controller.stop()
        with contextlib.suppress(OSError, ValueError):
            path = self.maildir / SINK_FILE
            if json.loads(path.read_text()).get("port") == self.port:
                path.unlink()


class _Handler:
    def __init__(self, handle: SinkHandle) -> None:
        self.handle = handle

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address in self.handle.stall:
            self.handle.stalled += 1
        while address in self.handle.stall:
            await asyncio.sleep(0.05)
        if address in self.handle.reject:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        store(self.handle.maildir, bytes(envelope.content))
        held = set(envelope.rcpt_tos) & self.handle.stall_after_data
        if held:
            self.handle.stalled += 1
        while set(envelope.rcpt_tos) & self.handle.stall_after_data:
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def store(maildir: Path, content: bytes) -> Path:
    """Write one message under its site's folder, atomically (a reader never sees half)."""
    headers = content.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    found = _MESSAGE_ID.search(headers)
    folder = maildir / (found.group(1).lower() if found else "unknown")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
    partial = folder / f".{name}.part"
    partial.write_bytes(content)
    return partial.replace(folder / name)


def run_sink(host: str, port: int, maildir: Path) -> SinkHandle:
    """Start a sink on host:port (0: any free port) storing into maildir; record it."""
    maildir.mkdir(parents=True, exist_ok=True)
    port = port or _free_port(host)
    handle = SinkHandle(host, port, maildir)
    # server_hostname: otherwise every connection asks DNS for this host's name.
    controller = Controller(_Handler(handle), hostname=host, port=port, server_hostname="sink")
    controller.start()
    handle._controller = controller
    (maildir / SINK_FILE).write_text(json.dumps({"host": host, "port": port, "pid": os.getpid()}))
    return handle


def start_dev_sink(instance_path: Path, port: int = DEV_SINK_PORT) -> SinkHandle:
    """The demo's sink on 127.0.0.1:8025, storing under instance/mail (one call)."""
    return run_sink("127.0.0.1", port, instance_path / "mail")


def sink_url(instance_path: Path) -> str | None:
    """The sink another process runs for this instance, if it recorded one."""
    try:
        found = json.loads((instance_path / "mail" / SINK_FILE).read_text())
        return f"smtp://{found['host']}:{int(found['port'])}"
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class SentMail:
    site: str
    message_id: str
    to: str
    subject: str
    body: str
    links: tuple[str, ...]
    received: float  # seconds since the epoch


def read_mail(maildir: Path) -> list[SentMail]:
    """Every message the sink kept, newest first."""
    files = [p for p in maildir.glob("*/*.eml") if p.is_file()]
    return sorted((_read(p) for p in files), key=lambda m: m.received, reverse=True)


def _read(path: Path) -> SentMail:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return SentMail(
        site=path.parent.name,
        message_id=str(message.get("Message-ID", "")),
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        body=text,
        links=tuple(_LINK.findall(text)),
        received=int(path.name.split("-", 1)[0]) / 1e9,
    )


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
