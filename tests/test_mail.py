"""Email delivery: one SMTP connection per sweep, a dropped connection reopened, messages as readers see them."""

from __future__ import annotations

import email
import socket
import time
from datetime import datetime
from email import policy
from types import SimpleNamespace

import pytest
from flask import render_template

from warmeveranderen.extensions import db
from warmeveranderen.mail import (
    MailError,
    _compose,
    _email_message,
    build_message,
    deliver,
    mail_connection,
    send_email,
)
from warmeveranderen.notifications import delivery as sweep_module
from warmeveranderen.notifications.models import Notification
from warmeveranderen.notifications.services import notify
from warmeveranderen.notifications.sweep import sweep

WINTER = datetime(2026, 12, 1, 8, 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch, request):
    """A real SMTP server (aiosmtpd); each received message is kept with the client port it came from.

    The server closes a connection that stays idle for `idle_timeout` seconds, as real servers do:
    30 s unless a test asks for less (indirect parametrisation), so a slow machine never makes the
    one-connection tests see a dropped connection.
    """
    idle_timeout = getattr(request, "param", 30)
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(SimpleNamespace(peer=session.peer, rcpt_tos=envelope.rcpt_tos,
                                            message=email.message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, timeout=idle_timeout)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        yield SimpleNamespace(received=received, idle_timeout=idle_timeout)
    finally:
        controller.stop()


def _connections(received) -> int:
    return len({r.peer for r in received})


def _notify_three(world):
    people = [world.users[key] for key in ("director", "flywheel_lead", "adviser")]
    notify(people, category="general", title="Binnenkort: session-1", url="/")
    db.session.commit()
    return people


def test_one_sweep_sends_all_its_email_over_one_connection(world, smtp_server):
    people = _notify_three(world)
    report = sweep(WINTER)
    assert report.emails_sent == 3 and report.errors == []
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(p.email for p in people)
    assert _connections(smtp_server.received) == 1
    assert {str(r.message["Subject"]) for r in smtp_server.received} == {"Binnenkort: session-1"}


@pytest.mark.parametrize("smtp_server", [0.3], indirect=True)
def test_a_connection_the_server_dropped_is_reopened(world, smtp_server, monkeypatch):
    people = _notify_three(world)
    real = sweep_module.send_email
    calls = []

    def slow_send_email(*args, **kwargs):
        if calls:  # the server gives up on the idle connection before the second and third email
            time.sleep(smtp_server.idle_timeout * 2.5)
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(sweep_module, "send_email", slow_send_email)
    report = sweep(WINTER)
    assert report.emails_sent == 3 and report.errors == []
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(p.email for p in people)
    assert _connections(smtp_server.received) == 3
    assert set(db.session.scalars(db.select(Notification.email_status))) == {"sent"}


def _notification_email(to="piet@example.org", subject="Binnenkort: sessie", name="Piet", body="Bereid je voor."):
    return dict(
        to=to, subject=subject, template="notification", user=SimpleNamespace(name=name),
        notification=SimpleNamespace(title=subject, body=body, url="/"), link="http://localhost/",
        preferences_link="http://localhost/meldingen/voorkeuren",
    )


def test_messages_outside_a_connection_block_each_open_their_own(app, smtp_server):
    with app.test_request_context("/"):
        send_email(**_notification_email())
        send_email(**_notification_email(to="an@example.org"))
        with mail_connection() as mailer:
            send_email(**_notification_email(to="jo@example.org"))
            send_email(**_notification_email(to="lies@example.org"))
            assert mailer.connections == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [
        ["piet@example.org"], ["an@example.org"], ["jo@example.org"], ["lies@example.org"]
    ]
    assert _connections(smtp_server.received) == 3


def test_an_unreachable_server_raises_mail_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    with app.test_request_context("/"):
        with pytest.raises(MailError):
            send_email(**_notification_email())
        with mail_connection(), pytest.raises(MailError):
            send_email(**_notification_email())


@pytest.mark.parametrize("subject, name, body", [
    ("Binnenkort: sessie", "Piet", "Bereid je voor."),
    ("Évaluation — déjà vu ✓ " + "lang " * 30, "Zoë “Janssens”", "Ünïcode\r\nregel twee\n" + "x" * 200),
    ("Lang " * 60, "Jan", ".punt vooraan\nFrom hier\tmet tab  "),
])
def test_messages_read_the_same_as_an_email_message(app, subject, name, body):
    """Composed MIME text gives readers what EmailMessage (default policy) gave them."""
    fields = _notification_email(subject=subject, name=name, body=body)
    with app.test_request_context("/"):
        text = render_template("email/notification.txt", **fields)
        html = render_template("email/notification.html", **fields)
    args = ("piet@example.org", subject, app.config["MAIL_DEFAULT_SENDER"], "Tue, 01 Dec 2026 08:00:00 +0000",
            "<1@warmeveranderen.local>", text, html)
    ours_msg, reference = _compose(*args), _email_message(*args)
    for linesep in ("\n", "\r\n"):
        ours = email.message_from_bytes(ours_msg.as_bytes(linesep), policy=policy.default)
        theirs = email.message_from_bytes(reference.as_bytes(policy=policy.default.clone(linesep=linesep)),
                                          policy=policy.default)
        assert not ours.defects and not any(part.defects for part in ours.walk())
        for header in ("Subject", "From", "To", "Date", "Message-ID", "MIME-Version"):
            assert str(ours[header]) == str(theirs[header])
        assert ours.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in ours.iter_parts()] == ["text/plain", "text/html"]
        for kind in ("plain", "html"):
            part = ours.get_body((kind,))
            assert part.get_content_charset() == "utf-8"
            # Over SMTP (CRLF) a reader may keep CRLF line ends in one and LF in the other; same lines.
            assert part.get_content().replace("\r\n", "\n") == theirs.get_body((kind,)).get_content().replace("\r\n", "\n")
    assert max(len(line) for line in bytes(ours_msg).split(b"\n")) <= 998


def test_outbox_and_unusual_addresses(app, outbox):
    """A non-ASCII address takes the EmailMessage route, as before; both land in the outbox."""
    with app.test_request_context("/"):
        send_email(**_notification_email(to="zoë@example.org"))
        deliver(build_message(**_notification_email(to='"Jan, de Vries" <jan@example.org>')))
    first, second = outbox()
    assert [a.addr_spec for a in first["To"].addresses] == ["zoë@example.org"]
    assert [(a.display_name, a.addr_spec) for a in second["To"].addresses] == [("Jan, de Vries", "jan@example.org")]
    assert second["From"] == app.config["MAIL_DEFAULT_SENDER"]


@pytest.mark.postgres
def test_the_email_marks_leave_the_pooled_connection_as_they_found_it(app, world, outbox):
    """The sweep's email marks skip the WAL flush on PostgreSQL; the connection goes back to the pool reset."""
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    _notify_three(world)
    sweep(WINTER)
    assert len(outbox()) == 3
    db.session.remove()
    connections = [db.engine.connect() for _ in range(3)]  # the pooled ones first, then new ones
    try:
        assert [c.execute(text("SHOW synchronous_commit")).scalar() for c in connections] == ["on"] * 3
    finally:
        for c in connections:
            c.close()
