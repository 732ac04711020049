"""Issue 15, input hardening: every free-text field has a maximum, one-line fields refuse control
characters, oversized posts and huge ids get the app's own page, CSV cells are no formulas."""

import importlib
import inspect
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import warmeveranderen
from warmeveranderen.forms_common import NoNulBytes, SingleLine


def _form_classes():
    for info in pkgutil.walk_packages(warmeveranderen.__path__, "warmeveranderen."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, FlaskForm) and cls.__module__ == module.__name__:
                yield cls


# Not free text a person types and the app stores or shows: hidden fields (ids, revision numbers,
# `next`: each checked on its own) and passwords (hashed, never stored or shown). The request size
# limit (MAX_CONTENT_LENGTH) bounds them.
EXEMPT = (HiddenField, PasswordField)


def test_every_text_field_of_every_form_has_a_maximum():
    missing = []
    forms = list(_form_classes())
    assert len(forms) > 30  # the walk found the app's forms
    for cls in forms:
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if not isinstance(unbound, UnboundField) or not issubclass(unbound.field_class, StringField):
                continue
            if issubclass(unbound.field_class, EXEMPT):
                continue
            validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
            if not any(isinstance(v, Length) and v.max not in (None, -1) for v in validators):
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not missing, "Text fields without a maximum: " + ", ".join(missing)


class _Field:
    def __init__(self, data):
        self.data = data


@pytest.mark.parametrize("text", ["Jan\r\nBcc: x@example.org", "Jan\nPeeters", "Jan\x00", "Jan\tP", "a\x1bb", "a\x7f"])
def test_single_line_refuses_control_characters(app, text):
    from wtforms.validators import ValidationError

    with app.test_request_context(), pytest.raises(ValidationError):
        SingleLine()(None, _Field(text))


def test_single_line_accepts_ordinary_names(app):
    with app.test_request_context():
        SingleLine()(None, _Field("Anaïs Van den Broeck-O'Neill"))


def test_text_refuses_nul_but_keeps_line_breaks(app):
    from wtforms.validators import ValidationError

    with app.test_request_context():
        NoNulBytes()(None, _Field("regel 1\r\nregel 2\tmet tab"))
        with pytest.raises(ValidationError):
            NoNulBytes()(None, _Field("a\x00b"))


def test_profile_form_refuses_a_line_break_in_the_name_and_keeps_what_was_typed(auth, world):
    client = auth.client_for(world.users["director"])
    response = client.post_form("/profiel", {"name": "Jan\r\nPeeters", "locale": "nl", "submit": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Gebruik één regel zonder tabs of regeleinden." in page
    assert "Jan" in page and "Peeters" in page


def _notification(user, title: str, status: str = "pending"):
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.models import Notification

    n = Notification(user_id=user.id, category="forum", title=title, body="", url="/", email_status=status)
    db.session.add(n)
    db.session.commit()
    return n.id


def test_a_line_break_in_a_name_does_not_stop_the_other_emails(world, outbox):
    """Issue 15: building one message raised ValueError and the whole sweep stopped (no heartbeat)."""
    from datetime import datetime, timedelta

    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.delivery import MAX_EMAIL_ATTEMPTS
    from warmeveranderen.notifications.models import Notification, SchedulerHeartbeat
    from warmeveranderen.notifications.sweep import sweep

    bad_user, good_user = world.users["pupil"], world.users["director"]
    bad_user.name = "Jan\r\nBcc: iedereen@example.org"  # inserted directly, as an old profile could be
    db.session.commit()
    bad = _notification(bad_user, f"Nieuw advies van {bad_user.name}")
    _notification(good_user, "Nieuw advies van An")
    _notification(world.users["board"], "Een tweede bericht")
    now = datetime(2026, 12, 1, 8, 0)
    report = sweep(now)
    assert sorted(m["To"] for m in outbox()) == sorted([good_user.email, world.users["board"].email])
    assert report.emails_sent == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(SchedulerHeartbeat)) == 1
    db.session.expire_all()
    row = db.session.get(Notification, bad)
    assert row.email_status == "retry" and row.email_attempts == 1 and "ValueError" in row.email_last_error
    # It counts an attempt each time and gives up after the maximum; it never blocks later email.
    for i in range(1, MAX_EMAIL_ATTEMPTS):
        sweep(now + timedelta(days=i))
    db.session.expire_all()
    row = db.session.get(Notification, bad)
    assert row.email_status == "failed" and row.email_attempts == MAX_EMAIL_ATTEMPTS
    _notification(good_user, "Later bericht")
    assert sweep(now + timedelta(days=30)).emails_sent == 1
