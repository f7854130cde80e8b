"""A real SMTP server on 127.0.0.1 that keeps every mail it receives, for tests.

sink = SmtpSink(); sink.start()
... point the app at 127.0.0.1:sink.port ...
msg = sink.wait_for("jean@example.fr", "Activez")
link = sink.links_in(msg)[0]
sink.stop()

sink.stop(); sink.start()   # down, then up again on the same port (a relay restarting)
sink.hold("x@example.fr")   # a mail to x waits in DATA (sink.holding is set) until
sink.release()              # ...then is refused (451), never stored: a send cut short
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from aiosmtpd.controller import Controller

_URL = re.compile(r"https?://[^\s<>\"']+")


class _BoundController(Controller):
    """Serves on a socket bound beforehand.

    Binding port 0 ourselves gives a free port without the race of
    "find a free port, close it, hope nobody takes it before the server binds".
    """

    def __init__(self, handler, sock: socket.socket):
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, server_hostname="localhost")
        self._sock = sock

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock)


class SmtpSink:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._messages: list[EmailMessage] = []
        self._recipients: list[set[str]] = []
        self._controller: _BoundController | None = None
        self.port: int | None = None
        self._held: set[str] = set()
        self.holding = threading.Event()
        self._released = threading.Event()

    def hold(self, to: str) -> None:
        self._held.add(to.lower())
        self.holding.clear()
        self._released.clear()

    def release(self) -> None:
        self._held.clear()
        self._released.set()

    # aiosmtpd handler hook, called on the server's thread.
    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        rcpts = {addr.lower() for addr in envelope.rcpt_tos}
        rcpts |= {addr.lower() for _, addr in getaddresses(msg.get_all("To", []))}
        if rcpts & self._held:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted"
        with self._cond:
            self._messages.append(msg)
            self._recipients.append(rcpts)
            self._cond.notify_all()
        return "250 Message accepted"

    def start(self) -> None:
        if self._controller is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Again on its port after a stop(): the app's settings still name it.
        sock.bind(("127.0.0.1", self.port or 0))
        controller = _BoundController(self, sock)
        controller.start()
        self._controller = controller
        self.port = sock.getsockname()[1]

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        """A snapshot; len(sink.messages) is a good `since` for wait_for."""
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        """Forget received mails (any `since` taken before is then meaningless)."""
        with self._cond:
            self._messages.clear()
            self._recipients.clear()

    def wait_for(
        self, to: str, subject_contains: str = "", timeout: float = 15, since: int = 0, body_contains: str = ""
    ) -> EmailMessage:
        """The first mail from index `since` on sent to `to` whose subject contains the text
        (and whose plain text contains `body_contains`: mails alike but for one link)."""
        to = to.lower()
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index in range(since, len(self._messages)):
                    msg = self._messages[index]
                    if (
                        to in self._recipients[index]
                        and subject_contains in str(msg["Subject"] or "")
                        and (not body_contains or body_contains in self.text_of(msg))
                    ):
                        return msg
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        f"{sorted(self._recipients[i])}: {self._messages[i]['Subject']}"
                        for i in range(len(self._messages))
                    ]
                    raise AssertionError(
                        f"no mail to {to!r} with subject containing {subject_contains!r} and text {body_contains!r} "
                        f"within {timeout}s (since={since}); received: {seen or 'nothing'}"
                    )
                self._cond.wait(remaining)

    @staticmethod
    def text_of(msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain",))
        if part is None:
            raise AssertionError(f"mail {msg['Subject']!r} has no text/plain part")
        return part.get_content()

    @staticmethod
    def links_in(msg: EmailMessage) -> list[str]:
        """http(s) URLs of the text part, in order, without trailing punctuation."""
        return [url.rstrip(".,;:!?)") for url in _URL.findall(SmtpSink.text_of(msg))]
