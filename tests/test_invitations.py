"""Open invitations: resend (a fresh link, the old one stops), revoke, invite again, and
'Wachtwoord vergeten' for someone invited but not yet active (it resends the invitation)."""

from sqlalchemy import select

from tests.test_programme import accept, invitation_link
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership

BERT = {"name": "Bert Bestuur", "email": "bert@example.org", "role": "board"}


def _invite_bert(client, world):
    client.post_form(f"/scholen/{world.school.id}/mensen", BERT)
    return db.session.scalar(select(Invitation).where(Invitation.email == "bert@example.org"))


def test_an_open_invitation_can_be_resent_and_the_old_link_stops(app, auth, world, outbox):
    director = auth.client_for(world.users["director"])
    invitation = _invite_bert(director, world)
    old_link = invitation_link(outbox()[-1])
    page = director.get(f"/scholen/{world.school.id}/mensen").get_data(as_text=True)
    assert f"/uitnodigingen/{invitation.id}/opnieuw" in page and f"/uitnodigingen/{invitation.id}/intrekken" in page
    response = director.post_form(f"/uitnodigingen/{invitation.id}/opnieuw", follow_redirects=True)
    assert "Uitnodiging opnieuw verstuurd naar bert@example.org." in response.get_data(as_text=True)
    assert len(outbox()) == 2
    new_link = invitation_link(outbox()[-1])
    assert new_link != old_link
    assert app.test_client().get(old_link).status_code == 410
    accept(app, new_link, "Bert")
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "bert@example.org")).password_hash is not None


def test_a_revoked_invitation_stops_and_the_person_can_be_invited_again(app, auth, world, outbox):
    director = auth.client_for(world.users["director"])
    invitation = _invite_bert(director, world)
    link = invitation_link(outbox()[-1])
    response = director.post_form(f"/uitnodigingen/{invitation.id}/intrekken", follow_redirects=True)
    assert "Uitnodiging voor bert@example.org ingetrokken." in response.get_data(as_text=True)
    assert app.test_client().get(link).status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(Membership).join(User).where(User.email == "bert@example.org")) is None
    # Re-inviting works and brings a working link.
    response = director.post_form(f"/scholen/{world.school.id}/mensen", BERT)
    assert response.status_code == 302
    accept(app, invitation_link(outbox()[-1]), "Bert")
    db.session.expire_all()
    assert db.session.scalar(select(Membership).join(User).where(User.email == "bert@example.org")).role == "board"
    # A used invitation cannot be revoked or resent any more.
    response = director.post_form(f"/uitnodigingen/{invitation.id}/opnieuw", follow_redirects=True)
    assert "al aanvaard of ingetrokken" in response.get_data(as_text=True)


def test_forgot_password_for_someone_invited_resends_the_invitation(app, auth, world, outbox):
    director = auth.client_for(world.users["director"])
    _invite_bert(director, world)
    old_link = invitation_link(outbox()[-1])
    client = app.test_client()
    response = client.post_form("/wachtwoord-vergeten", {"email": "bert@example.org"})
    assert response.status_code == 302
    assert len(outbox()) == 2 and outbox()[-1]["To"] == "bert@example.org"
    new_link = invitation_link(outbox()[-1])
    assert new_link != old_link and app.test_client().get(old_link).status_code == 410
    accept(app, new_link, "Bert")


def test_only_who_manages_the_school_people_resends_or_revokes(auth, world, outbox):
    invitation = _invite_bert(auth.client_for(world.users["director"]), world)
    for role in ("flywheel", "forum", "outsider"):
        client = auth.client_for(world.users[role])
        assert client.post_form(f"/uitnodigingen/{invitation.id}/intrekken").status_code == 403
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).is_open
