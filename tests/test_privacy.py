"""People's own data: the download holds everything about a person (and no secret), the erasure keeps
shared records readable under a pseudonym, and retention removes what is no longer needed."""

import io
import json
import zipfile
from datetime import timedelta

from tests.factories import UserFactory
from tests.factories_forum import AdviceFactory, AdviceRoundFactory, DecisionFactory
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea
from warmeveranderen.notifications.models import Notification
from warmeveranderen.notifications.services import notify
from warmeveranderen.privacy.erase import AccountErasure
from warmeveranderen.privacy.retention import apply_retention
from warmeveranderen.programme.models import Membership
from warmeveranderen.timeutil import utcnow


def _archive(response):
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return json.loads(archive.read("gegevens.json")), archive.read("gegevens.html").decode()


def test_a_pupil_downloads_everything_about_them_and_no_secret(client, auth, world):
    pupil = world.users["pupil"]
    round_ = AdviceRoundFactory(school=world.school)
    AdviceFactory(round=round_, author=pupil, stakeholder_group="pupil", reasoning="Meer bankjes graag.")
    db.session.add(Idea(school_id=world.school.id, author_id=pupil.id, title="Een moestuin", body="Om samen te werken."))
    notify([pupil], category="test", title="Welkom", url="/", school=world.school)
    db.session.commit()
    auth.login(client, pupil.email)
    response = client.get("/profiel/mijn-gegevens")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    data, html = _archive(response)
    assert data["account"]["email"] == pupil.email
    titles = {s["title"]: s for s in data["sections"]}
    assert titles["Adviezen"]["rows"][0]["reasoning"] == "Meer bankjes graag."
    assert titles["Ideeën"]["rows"][0]["title"] == "Een moestuin"
    assert titles["Meldingen"]["rows"][0]["title"] == "Welkom"
    assert titles["Rollen in scholen"]["rows"][0]["stakeholder_group"] == "pupil"
    raw = json.dumps(data)
    assert pupil.password_hash not in raw and pupil.session_token not in raw and "token_hash" not in raw
    assert "Meer bankjes graag." in html and "<h2>Adviezen (1)</h2>" in html


def test_a_pupil_deletes_the_account_and_the_decision_still_reads_well(client, auth, world):
    pupil = world.users["pupil"]
    round_ = AdviceRoundFactory(school=world.school)
    AdviceFactory(round=round_, author=pupil, stakeholder_group="pupil", stance="objection", reasoning="Te duur voor ons.")
    DecisionFactory(round=round_, reasons="We zoeken een goedkopere versie.")
    email = pupil.email
    auth.login(client, email)
    refused = client.post_form("/profiel/account-verwijderen", {"password": "correct horse battery", "confirm": "ja"})
    assert refused.status_code == 422
    done = client.post_form("/profiel/account-verwijderen", {"password": "correct horse battery", "confirm": "VERWIJDER"})
    assert done.status_code == 302 and done.location.endswith("/inloggen")
    assert client.get("/").status_code == 302

    db.session.expire_all()
    person = db.session.get(User, pupil.id)
    assert person.name == "Oud-forumlid" and person.email.endswith("@verwijderd.invalid") and not person.active
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership).where(Membership.user_id == pupil.id)) == 0
    assert db.session.scalar(db.select(AccountErasure)).requested_by == "self"
    again = client.application.test_client()
    assert again.post_form("/inloggen", {"email": email, "password": "correct horse battery"}).status_code == 401

    director = client.application.test_client()
    auth.login(director, world.users["director"].email)
    page = director.get(f"/scholen/{world.school.id}/forum/rondes/{round_.id}").get_data(as_text=True)
    assert "Oud-forumlid" in page and "Te duur voor ons." in page and "We zoeken een goedkopere versie." in page
    assert email not in page


def test_the_coordinator_deletes_on_request_but_never_the_last_coordinator(client, auth, world):
    coordinator = world.users["coordinator"]
    auth.login(client, coordinator.email)
    parent = world.users["forum"]
    assert client.get(f"/programma/mensen/{parent.id}/gegevens").mimetype == "application/zip"
    done = client.post_form(f"/programma/mensen/{parent.id}/verwijderen", {"confirm": "VERWIJDER"})
    assert done.status_code == 302
    erasure = db.session.scalar(db.select(AccountErasure))
    assert erasure.requested_by == "coordinator" and erasure.done_by_id == coordinator.id
    other = UserFactory(is_coordinator=True)
    assert client.post_form(f"/programma/mensen/{other.id}/verwijderen", {"confirm": "VERWIJDER"}).status_code == 302
    # Now `coordinator` is the only one: deleting their own account is refused.
    self_page = client.post_form("/profiel/account-verwijderen", {"password": "correct horse battery",
                                                                  "confirm": "VERWIJDER"})
    assert self_page.status_code == 422 and "enige coördinator" in self_page.get_data(as_text=True)


def test_retention_removes_old_invitations_unused_accounts_and_old_notifications(app, world):
    old = utcnow() - timedelta(days=400)
    never = UserFactory(email="nooit@school.example.org", password_hash=None, created_at=old)
    db.session.add(Invitation(email=never.email, name=never.name, role="board", school=world.school, created_at=old))
    recent = UserFactory(email="net@school.example.org", password_hash=None)
    db.session.add(Invitation(email=recent.email, name=recent.name, role="board", school=world.school))
    [read_old] = notify([world.users["director"]], category="test", title="x", url="/", school=world.school)
    [unread_old] = notify([world.users["board"]], category="test", title="x", url="/", school=world.school)
    [fresh] = notify([world.users["pupil"]], category="test", title="x", url="/", school=world.school)
    read_old.created_at, read_old.read_at = old, old
    unread_old.created_at = old
    db.session.commit()
    apply_retention(utcnow().date())
    db.session.commit()
    emails = set(db.session.scalars(db.select(User.email)))
    assert "nooit@school.example.org" not in emails and "net@school.example.org" in emails
    assert {n.id for n in db.session.scalars(db.select(Notification))} == {unread_old.id, fresh.id}
