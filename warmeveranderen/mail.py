"""Email: one helper renders paired .txt and .html templates and delivers them.

In development (MAIL_BACKEND = "outbox") each message is written to instance/outbox/ as an .eml
file and logged; in production (MAIL_BACKEND = "smtp") it goes to the configured SMTP server.

Sending many messages (the reminder sweep): inside `with mail_connection():` every deliver() and
send_email() goes over one SMTP connection, opened at the first message and closed at the end of
the block; a connection the server dropped in between is reopened once. Outside such a block each
message opens its own connection, as before.

Messages are composed directly as MIME text (multipart/alternative, UTF-8, quoted-printable where
needed) instead of through EmailMessage and its default policy, which costs milliseconds per
message; readers get the same headers and bodies. Addresses that are not plain ASCII or header
values with line breaks take the EmailMessage route, so they behave exactly as before.
"""

from __future__ import annotations

import binascii
import logging
import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage
from email.message import Message as _StdlibMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from flask import current_app, render_template

from warmeveranderen.i18n import in_locale
from warmeveranderen.timeutil import utcnow

log = logging.getLogger(__name__)

MSGID_DOMAIN = "warmeveranderen.local"
# Text bodies with lines up to this length (and only ASCII) go as 7bit, like EmailMessage does.
MAX_7BIT_LINE = 78
# RFC 5322's limit on a line; plain text with lines up to this length is sent unencoded.
MAX_LINE = 998
# Longer ASCII header values are encoded (and so folded) to stay far below the 998-character limit.
MAX_LITERAL_HEADER = 900


class MailError(Exception):
    """The message could not be delivered; callers decide whether to retry."""


class Message:
    """A composed email: the MIME text is built once; `msg["To"]` and `bytes(msg)` work as on EmailMessage."""

    __slots__ = ("headers", "_raw")

    def __init__(self, headers: dict[str, str], raw: bytes):
        self.headers = headers  # the header values as readers see them
        self._raw = raw  # the whole message with "\n" line ends

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name)

    def __bytes__(self) -> bytes:
        return self._raw

    def as_bytes(self, linesep: str = "\n") -> bytes:
        return self._raw if linesep == "\n" else self._raw.replace(b"\n", linesep.encode("ascii"))


def build_message(to: str, subject: str, template: str, locale: str = "nl", **context) -> Message | EmailMessage:
    """Render templates/email/<template>.txt and .html into a message in the recipient's language."""
    with in_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    date = format_datetime(datetime.now(UTC))
    message_id = make_msgid(domain=MSGID_DOMAIN)
    if _plain_address(to) and _plain_address(sender) and "\r" not in subject and "\n" not in subject:
        return _compose(to, subject, sender, date, message_id, text, html)
    return _email_message(to, subject, sender, date, message_id, text, html)


def _plain_address(value: str) -> bool:
    return value.isascii() and "\r" not in value and "\n" not in value


def _compose(to: str, subject: str, sender: str, date: str, message_id: str, text: str, html: str) -> Message:
    parts = [_text_part("plain", text), _text_part("html", html)]
    boundary = "=_" + uuid.uuid4().hex
    while any(boundary.encode("ascii") in part for part in parts):  # pragma: no cover - 2**-128
        boundary = "=_" + uuid.uuid4().hex
    head = (
        f"Subject: {_encode_header('Subject', subject)}\n"
        f"From: {sender}\n"
        f"To: {to}\n"
        f"Date: {date}\n"
        f"Message-ID: {message_id}\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\n'
        "\n"
    )
    delimiter = f"--{boundary}\n".encode("ascii")
    raw = b"".join([
        head.encode("ascii"), delimiter, parts[0], b"\n", delimiter, parts[1], b"\n",
        f"--{boundary}--\n".encode("ascii"),
    ])
    headers = {"Subject": subject, "From": sender, "To": to, "Date": date, "Message-ID": message_id}
    return Message(headers, raw)


def _encode_header(name: str, value: str) -> str:
    """Plain ASCII as it is (unfolded up to a safe length); anything else as RFC 2047 encoded words."""
    if value.isascii() and "=?" not in value and len(value) <= MAX_LITERAL_HEADER:
        return value
    # Readers drop leading blanks of a header value; an encoded word would keep them.
    return Header(value.lstrip(" \t"), "utf-8", header_name=name).encode(linesep="\n")


def _text_part(subtype: str, content: str) -> bytes:
    """One text/<subtype> part, UTF-8.

    7bit when it is short-lined ASCII. The plain text goes as it is (7bit or 8bit) while its lines
    fit the 998-byte limit of RFC 5322: quoted-printable breaks lines at 76 characters, which cuts
    a token link in two for anyone reading the .eml or a plain-text mail. Else quoted-printable.
    """
    lines = content.encode("utf-8").splitlines()
    body = b"\n".join(lines) + b"\n"
    if body.isascii() and all(len(line) <= MAX_7BIT_LINE for line in lines):
        cte = "7bit"
    elif subtype == "plain" and all(len(line) <= MAX_LINE for line in lines):
        cte = "7bit" if body.isascii() else "8bit"
    else:
        cte = "quoted-printable"
        body = binascii.b2a_qp(body, istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\nContent-Transfer-Encoding: {cte}\n\n'
    ).encode("ascii") + body


def _email_message(to, subject, sender, date, message_id, text, html) -> EmailMessage:
    """The slower general route (EmailMessage, default policy): non-ASCII addresses and the like."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = date
    msg["Message-ID"] = message_id
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


class Mailer:
    """Delivers messages through the configured backend; over SMTP all of them share one connection.

    The connection opens at the first message. A message on a reused connection that finds it
    dropped (the server closed it, or answered 421) is sent once more over a new one. Any other
    failure closes the connection (the next message opens a fresh one) and raises MailError.
    """

    def __init__(self, config=None):
        self.config = config if config is not None else current_app.config
        self._smtp: smtplib.SMTP | None = None
        self.connections = 0  # opened so far (for tests and logging)

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, msg: Message | _StdlibMessage) -> None:
        if self.config["MAIL_BACKEND"] == "smtp":
            self._send_smtp(msg)
        else:
            self._write_outbox(msg)

    def _send_smtp(self, msg) -> None:
        try:
            reused = self._smtp is not None
            try:
                self._transmit(self._connection(), msg)
            except (OSError, smtplib.SMTPException) as exc:
                if not (reused and _dropped(exc)):
                    raise
                self._discard()
                self._transmit(self._connection(), msg)
        except (OSError, smtplib.SMTPException) as exc:
            self._discard()
            raise MailError(str(exc)) from exc

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            config = self.config
            cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
            smtp = cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
            try:
                if config["MAIL_USE_TLS"]:
                    smtp.starttls()
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
            self.connections += 1
        return self._smtp

    @staticmethod
    def _transmit(smtp: smtplib.SMTP, msg) -> None:
        if isinstance(msg, Message):
            # The envelope, as send_message() takes it from the headers.
            sender = getaddresses([msg["From"]])[0][1]
            recipients = [address for _name, address in getaddresses([msg["To"]])]
            raw = msg.as_bytes("\r\n")
            options = []
            if not raw.isascii():  # an 8bit text part: say so to servers that announce 8BITMIME
                smtp.ehlo_or_helo_if_needed()
                if smtp.has_extn("8bitmime"):
                    options.append("BODY=8BITMIME")
            smtp.sendmail(sender, recipients, raw, mail_options=options)
        else:
            smtp.send_message(msg)

    def _discard(self) -> None:
        """Forget the connection without talking to the server (it may be gone)."""
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server; the messages are delivered already, so errors here do not count."""
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (OSError, smtplib.SMTPException) as exc:
            log.info("Closing the SMTP connection: %s", exc)
        finally:
            self._discard()

    def _write_outbox(self, msg) -> None:
        outbox = Path(self.config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        # Microseconds in the name keep the files in sending order (a listing sorts them by name).
        name = f"{utcnow():%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:8]}.eml"
        (outbox / name).write_bytes(bytes(msg))
        current_app.logger.info("Mail to %s (%s) written to %s", msg["To"], msg["Subject"], outbox / name)


def _dropped(exc: BaseException) -> bool:
    """Whether a failure means the server closed the connection (worth one retry on a new one)."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _msg in exc.recipients.values())
    # A reset or broken pipe; not a timeout, where the server may still be handling the message.
    return isinstance(exc, ConnectionError)


_current: ContextVar[Mailer | None] = ContextVar("warmeveranderen_mailer", default=None)


@contextmanager
def mail_connection() -> Iterator[Mailer]:
    """Within this block deliver() and send_email() share one SMTP connection (nested blocks reuse it)."""
    mailer = _current.get()
    if mailer is not None:
        yield mailer
        return
    mailer = Mailer()
    token = _current.set(mailer)
    try:
        yield mailer
    finally:
        _current.reset(token)
        mailer.close()


def deliver(msg: Message | EmailMessage) -> None:
    """Hand a built message to the configured backend (the open mail_connection(), if any)."""
    mailer = _current.get()
    if mailer is not None:
        mailer.send(msg)
        return
    with Mailer() as mailer:
        mailer.send(msg)


def send_email(to: str, subject: str, template: str, locale: str = "nl", **context) -> None:
    """Render and deliver one email; raises MailError if the SMTP server refuses it."""
    deliver(build_message(to, subject, template, locale=locale, **context))
