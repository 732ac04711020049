"""Email: one helper renders paired .txt and .html templates and delivers them.

In development (MAIL_BACKEND = "outbox") each message is written to instance/outbox/ as an .eml
file and logged; in production (MAIL_BACKEND = "smtp") it goes to the configured SMTP server.
"""

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from warmeveranderen.timeutil import utcnow


class MailError(Exception):
    """The message could not be delivered; callers decide whether to retry."""


def build_message(to: str, subject: str, template: str, locale: str = "nl", **context) -> EmailMessage:
    """Render templates/email/<template>.txt and .html into a message in the recipient's language."""
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="warmeveranderen.local")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def deliver(msg: EmailMessage) -> None:
    """Hand a built message to the configured backend."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        try:
            cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
            with cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
                if config["MAIL_USE_TLS"]:
                    smtp.starttls()
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(str(exc)) from exc
    else:
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        # Microseconds in the name keep the files in sending order (a listing sorts them by name).
        name = f"{utcnow():%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:8]}.eml"
        (outbox / name).write_bytes(bytes(msg))
        current_app.logger.info("Mail to %s (%s) written to %s", msg["To"], msg["Subject"], outbox / name)


def send_email(to: str, subject: str, template: str, locale: str = "nl", **context) -> None:
    """Render and deliver one email; raises MailError if the SMTP server refuses it."""
    deliver(build_message(to, subject, template, locale=locale, **context))
