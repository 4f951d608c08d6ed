"""A real SMTP server on loopback (aiosmtpd in a thread, on a free port) that keeps what it
receives and can be told to answer a recipient with a given reply code."""

from __future__ import annotations

import email
import email.policy
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.replies: dict[str, list[int]] = {}  # recipient -> reply codes to give, in order
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        scripted = self.replies.get(address.lower())
        if scripted:
            code = scripted.pop(0)
            text = "Mailbox unavailable, try later" if code < 500 else "No such user here"
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class LoopbackController(Controller):
    """aiosmtpd's Controller on port 0: learn the port the system gave before the self-check."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_sink() -> tuple[LoopbackController, Handler]:
    handler = Handler()
    controller = LoopbackController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    return controller, handler
