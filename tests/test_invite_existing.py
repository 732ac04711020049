"""Adding someone who already has an account to a school (the forum, by a flywheel member) sends an
invitation they accept, like a new person's: the school never learns their name from the address."""

import re

from tests.factories import UserFactory
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership


def _accept_link(outbox, email: str) -> str:
    [message] = [m for m in outbox() if email in m["To"]]
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/uitnodiging/\S+/aanvaarden)", text).group(1)


def test_adding_an_existing_account_to_the_forum_reveals_nothing_until_they_accept(auth, world, outbox):
    existing = UserFactory(name="Geheime Naam", email="bestaand@example.org")
    flywheel = auth.client_for(world.users["flywheel"])
    url = f"/scholen/{world.school.id}/forum/leden"
    response = flywheel.post_form(url, {"name": "Ouder X", "email": "bestaand@example.org", "stakeholder_group": "staff"})
    assert response.status_code == 302
    for page in (flywheel.get(url), flywheel.get(response.location), flywheel.get(f"/scholen/{world.school.id}/mensen")):
        assert "Geheime Naam" not in page.get_data(as_text=True)
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == existing.id)) is None

    link = _accept_link(outbox, "bestaand@example.org")
    # Someone else with the link cannot accept it.
    assert auth.client_for(world.users["forum"]).post_form(link).status_code == 403
    person = auth.client_for(existing)
    page = person.get(link)
    assert page.status_code == 200 and "Warme School A" in page.get_data(as_text=True)
    assert person.post_form(link).status_code == 302
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == existing.id))
    assert (membership.school_id, membership.role, membership.stakeholder_group) == (world.school.id, "forum", "staff")
    assert "Geheime Naam" in flywheel.get(url).get_data(as_text=True)  # now a member: visible
    assert person.get(link).status_code == 410  # used once


def test_a_new_person_is_still_added_at_once(auth, world, outbox):
    flywheel = auth.client_for(world.users["flywheel"])
    flywheel.post_form(f"/scholen/{world.school.id}/forum/leden",
                       {"name": "Nieuwe Ouder", "email": "nieuw@example.org", "stakeholder_group": "parent"})
    assert "Nieuwe Ouder" in flywheel.get(f"/scholen/{world.school.id}/forum/leden").get_data(as_text=True)
