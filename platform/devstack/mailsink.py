"""A loopback SMTP server that keeps what it receives: the mail catcher of `make run`, the tests and the bench.

Messages are kept in memory and, when a folder is given, written there as .eml files (any mail program
opens them). `hold_from` makes the server stop answering DATA from the n-th message on, until released:
a test kills a worker while its messages are in flight, then the held ones are refused (451), as a
real server does when the client is gone before the end of the transaction.
"""

import asyncio
import email
import email.policy
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from .services import _free_port

# aiosmtpd logs every SMTP command at INFO: thousands of lines per benchmark, and time spent in the sink.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Received:
    message_id: str
    to: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class _Handler:
    folder: Path | None = None
    hold_from: int | None = None
    refuse: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    held: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        for address in envelope.rcpt_tos:
            if address in self.refuse:
                return self.refuse[address]
        with self.lock:
            holding = self.hold_from is not None and len(self.received) + 1 >= self.hold_from
            if holding:
                self.held += 1
        if holding:
            if self.release is None:
                self.release = asyncio.Event()
            await self.release.wait()
            return "451 4.3.0 Transaction aborted"
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        received = Received(message_id=str(parsed.get("Message-ID", "")), to=list(envelope.rcpt_tos), raw=raw)
        with self.lock:
            self.received.append(received)
            number = len(self.received)
        if self.folder is not None:
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{number:05d}-{received.to[0].replace('@', '_at_')}.eml"
            (self.folder / name).write_bytes(raw)
        return "250 Message accepted for delivery"


class MailSink:
    def __init__(self, *, port: int = 0, folder: Path | None = None, hold_from: int | None = None,
                 refuse: dict[str, str] | None = None) -> None:
        """`refuse` maps an address to the reply its messages get instead of acceptance (e.g. "550 …")."""
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self.handler = _Handler(folder=folder, hold_from=hold_from, refuse=dict(refuse or {}))
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def held(self) -> int:
        return self.handler.held

    def release_held(self) -> None:
        """Refuse what is held and take messages normally from now on."""
        self.handler.hold_from = None
        if self.handler.release is not None:
            self.controller.loop.call_soon_threadsafe(self.handler.release.set)

    def wait_for(self, count: int, *, timeout: float) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def __enter__(self) -> "MailSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release_held()
        self.controller.stop()
