"""The programme's people through HTTP: invitations, roles per school, isolation between schools."""

import csv
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.factories import MembershipFactory, SchoolFactory
from warmeveranderen import ROOT
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership

NEW_PASSWORD = "een lang nieuw wachtwoord"


def invitation_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/uitnodiging/\S+)", text).group(1)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def accept(app, link, name):
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200
    response = client.post_form(link, {"name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    return client


def test_the_done_when_journey(app, auth, world, outbox):
    """Coordinator invites a director; the director sets a password and invites a flywheel member."""
    school = world.school
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(
        "/programma/mensen",
        {"name": "Dora Directeur", "email": "Dora@School.example.org", "school_id": school.id, "role": "director"},
    )
    assert response.status_code == 302
    [mail] = outbox()
    assert mail["To"] == "dora@school.example.org"
    assert mail["Subject"] == "Uitnodiging voor Warm Veranderen"
    assert school.name in mail.get_body(preferencelist=("plain",)).get_content()
    link = invitation_link(mail)

    # The link shows the invitation with the name filled in; the name is kept.
    anonymous = app.test_client()
    page = anonymous.get(link).get_data(as_text=True)
    assert 'value="Dora Directeur"' in page
    mismatch = anonymous.post_form(link, {"name": "Dora Directeur", "password": NEW_PASSWORD, "confirm": "iets anders!!"})
    assert mismatch.status_code == 422
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.get_data(as_text=True)
    director = accept(app, link, "Dora Directeur")
    home = director.get("/").get_data(as_text=True)
    assert "Dag Dora Directeur" in home and school.name in home

    # The link works once.
    used = app.test_client().get(link)
    assert used.status_code == 410
    assert "Deze uitnodiging is al gebruikt of ingetrokken." in used.get_data(as_text=True)

    # The new director invites a flywheel member (the lead) for their school.
    people = director.get(f"/scholen/{school.id}/mensen")
    assert people.status_code == 200 and "Iemand uitnodigen" in people.get_data(as_text=True)
    response = director.post_form(
        f"/scholen/{school.id}/mensen",
        {"name": "Wim Vliegwiel", "email": "wim@school.example.org", "role": "flywheel", "is_lead": "y"},
    )
    assert response.status_code == 302
    link = invitation_link(outbox()[-1])
    accept(app, link, "Wim Vliegwiel")
    db.session.expire_all()
    wim = db.session.scalar(select(User).where(User.email == "wim@school.example.org"))
    membership = wim.membership(school, "flywheel")
    assert membership.is_lead
    # One trekker: the previous lead of the world is no longer lead.
    assert not db.session.get(Membership, world.memberships["flywheel_lead"].id).is_lead
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [i.accepted_at is not None for i in invitations] == [True, True]
    assert invitations[1].invited_by.email == "dora@school.example.org"


def test_inviting_someone_who_has_an_account_adds_the_role(auth, world, outbox):
    person = world.users["forum"]
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(
        "/programma/mensen",
        {"name": "genegeerd", "email": person.email, "school_id": world.other_school.id, "role": "board"},
    )
    assert response.status_code == 302
    [mail] = outbox()
    assert mail["Subject"] == "Je hebt een nieuwe rol in Warm Veranderen"
    assert "/uitnodiging/" not in mail.get_body(preferencelist=("plain",)).get_content()
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.roles_in(world.other_school) == {"board"}
    assert person.name != "genegeerd"
    # The same role twice is refused on the form.
    again = coordinator.post_form(
        "/programma/mensen",
        {"name": "x", "email": person.email, "school_id": world.other_school.id, "role": "board"},
    )
    assert again.status_code == 422
    assert "heeft deze rol al in deze school" in again.get_data(as_text=True)


def test_coordinator_can_invite_an_adviser(auth, world, outbox):
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(
        "/programma/mensen", {"name": "Ada Adviseur", "email": "ada@example.org", "school_id": 0, "role": "adviser"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    ada = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert ada.is_adviser and not ada.memberships


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "geen-adres", "role": "director"}, "Dit is geen geldig e-mailadres."),
        ({"email": "nieuw@school.example.org", "role": "forum"}, "Kies voor een forumlid de stakeholdergroep."),
        ({"email": "nieuw@school.example.org", "role": "director", "school_id": 0}, "Kies de school voor deze rol."),
        ({"email": "", "role": "director"}, "Vul het e-mailadres in."),
        ({"email": "nieuw@school.example.org", "role": ""}, "Kies een rol."),
    ],
    ids=["invalid-email", "forum-without-group", "school-role-without-school", "no-email", "no-role"],
)
def test_bad_invitations_are_refused_on_the_same_form(auth, world, outbox, fields, message):
    coordinator = auth.client_for(world.users["coordinator"])
    users, memberships = count(User), count(Membership)
    data = {"name": "Getypte Naam", "school_id": world.school.id, **fields}
    response = coordinator.post_form("/programma/mensen", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert 'value="Getypte Naam"' in body
    if fields["email"]:
        assert f'value="{fields["email"]}"' in body
    assert (count(User), count(Membership), count(Invitation)) == (users, memberships, 0)
    assert outbox() == []


def test_a_flywheel_member_may_invite_only_forum_members(auth, world, outbox):
    school = world.school
    client = auth.client_for(world.users["flywheel"])
    page = client.get(f"/scholen/{school.id}/mensen").get_data(as_text=True)
    roles = re.findall(r'<option value="(\w*)"', page.split('id="role"')[1].split("</select>")[0])
    assert roles == ["", "forum"]
    users = count(User)
    refused = client.post_form(
        f"/scholen/{school.id}/mensen", {"name": "Baas", "email": "baas@school.example.org", "role": "director"}
    )
    assert refused.status_code in (403, 422)
    assert count(User) == users and outbox() == []
    allowed = client.post_form(
        f"/scholen/{school.id}/mensen",
        {"name": "Olga Ouder", "email": "olga@example.org", "role": "forum", "stakeholder_group": "parent"},
    )
    assert allowed.status_code == 302
    assert len(outbox()) == 1


def test_a_forum_member_cannot_invite(auth, world, outbox):
    school = world.school
    client = auth.client_for(world.users["forum"])
    page = client.get(f"/scholen/{school.id}/mensen").get_data(as_text=True)
    assert "Iemand uitnodigen" not in page
    response = client.post_form(
        f"/scholen/{school.id}/mensen",
        {"name": "Olga Ouder", "email": "olga@example.org", "role": "forum", "stakeholder_group": "parent"},
    )
    assert response.status_code == 403
    assert outbox() == []


def test_a_director_cannot_invite_for_another_school(auth, world, outbox):
    client = auth.client_for(world.users["director"])
    response = client.post_form(
        f"/scholen/{world.other_school.id}/mensen", {"name": "X", "email": "x@example.org", "role": "board"}
    )
    assert response.status_code == 403
    assert outbox() == []


def test_the_last_active_director_cannot_be_removed(auth, world):
    school, director = world.school, world.memberships["director"]
    director_id = director.id
    client = auth.client_for(world.users["director"])
    # An invited director who has not chosen a password yet does not count.
    MembershipFactory(school=school, role="director", user__password_hash=None)
    before = count(Membership)
    response = client.post_form(f"/scholen/{school.id}/mensen/{director.id}/verwijderen", follow_redirects=True)
    assert "minstens één actief directielid" in response.get_data(as_text=True)
    assert count(Membership) == before
    # With a second active director it works.
    MembershipFactory(school=school, role="director")
    response = client.post_form(f"/scholen/{school.id}/mensen/{director.id}/verwijderen", follow_redirects=True)
    assert "Rol verwijderd." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, director_id) is None


def test_removing_an_invited_person_revokes_the_invitation(app, auth, world, outbox):
    client = auth.client_for(world.users["director"])
    client.post_form(
        f"/scholen/{world.school.id}/mensen", {"name": "Bert Bestuur", "email": "bert@example.org", "role": "board"}
    )
    link = invitation_link(outbox()[-1])
    db.session.expire_all()
    membership = db.session.scalar(select(Membership).join(User).where(User.email == "bert@example.org"))
    client.post_form(f"/scholen/{world.school.id}/mensen/{membership.id}/verwijderen")
    response = app.test_client().get(link)
    assert response.status_code == 410


def test_the_flywheel_has_one_lead(auth, world):
    school = world.school
    client = auth.client_for(world.users["director"])
    member, lead = world.memberships["flywheel"], world.memberships["flywheel_lead"]
    path = f"/scholen/{school.id}/mensen/{member.id}/trekker"
    client.post_form(path, {"lead": "1"})
    client.post_form(path, {"lead": "1"})  # a double submit keeps it as it is
    db.session.expire_all()
    assert db.session.get(Membership, member.id).is_lead
    assert not db.session.get(Membership, lead.id).is_lead
    client.post_form(path, {"lead": "0"})
    db.session.expire_all()
    assert not db.session.get(Membership, member.id).is_lead
    forum = world.memberships["forum"]
    response = client.post_form(f"/scholen/{school.id}/mensen/{forum.id}/trekker", {"lead": "1"}, follow_redirects=True)
    assert "Alleen een vliegwiellid kan trekker zijn." in response.get_data(as_text=True)


def test_a_person_with_two_schools_switches_between_them(auth, world):
    person = world.users["outsider"]  # director of school B
    MembershipFactory(school=world.school, role="board", user=person)
    client = auth.client_for(person)
    page = client.get("/").get_data(as_text=True)
    assert 'id="switch-school"' in page
    assert world.school.name in page and world.other_school.name in page
    response = client.post_form("/wissel-school", {"school_id": world.school.id})
    assert response.location == f"/scholen/{world.school.id}"
    page = client.get("/").get_data(as_text=True)
    assert f'<option value="{world.school.id}" selected>' in page
    assert client.post_form("/wissel-school", {"school_id": "x"}).location == "/"


def test_a_person_with_one_school_has_no_switcher(auth, world):
    client = auth.client_for(world.users["forum"])
    assert 'id="switch-school"' not in client.get("/").get_data(as_text=True)


def test_coordinator_sees_the_47_demo_schools_in_their_networks_and_cities(app, auth):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    auth.login(client, "coordinator@demo.warmeveranderen.be", app.config["DEMO_PASSWORD"])
    page = client.get("/programma").get_data(as_text=True)
    assert "47 scholen in" in page and "9 lerende netwerken" in page
    with (ROOT / "warmeveranderen" / "data" / "schools.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 47
    for city in {r["warm_city"] for r in rows}:
        section = page.split(f">{city}</h2>")[1].split("</section>")[0]
        for row in (r for r in rows if r["warm_city"] == city):
            assert str(escape(row["school"])) in section, row["school"]
            assert row["network"] in section


def test_a_forum_member_of_school_b_gets_403_on_every_page_of_school_a(app, auth, world):
    parent_b = MembershipFactory(school=world.other_school, role="forum", stakeholder_group="parent").user
    client = auth.client_for(parent_b)
    urls = [f"/netwerken/{world.school.network_id}"]
    for rule in app.url_map.iter_rules():
        # The API answers without a token with 401 (tests/test_api.py and the matrix cover it with tokens).
        if "GET" in rule.methods and rule.arguments == {"school_id"} and not rule.rule.startswith("/api/"):
            urls.append(rule.rule.replace("<int:school_id>", str(world.school.id)))
    assert f"/scholen/{world.school.id}" in urls and f"/scholen/{world.school.id}/mensen" in urls
    for url in urls:
        assert client.get(url).status_code == 403, url
    # And their own school's pages do open.
    assert client.get(f"/scholen/{world.other_school.id}").status_code == 200
    assert client.post_form("/wissel-school", {"school_id": world.school.id}).status_code == 403


def test_a_school_role_is_not_visible_to_another_school(auth, world):
    client = auth.client_for(world.users["director"])
    page = client.get("/").get_data(as_text=True)
    assert world.other_school.name not in page


def test_coordinator_manages_cities_networks_and_schools(auth, world):
    client = auth.client_for(world.users["coordinator"])
    assert client.post_form("/programma/steden", {"name": "Brugge"}).status_code == 302
    dup = client.post_form("/programma/steden", {"name": "brugge"})
    assert dup.status_code == 422 and "Er bestaat al een warme stad met die naam." in dup.get_data(as_text=True)
    assert client.post_form("/programma/netwerken", {"name": "Lerend netwerk Brugge"}).status_code == 302
    page = client.get("/programma/scholen/nieuw").get_data(as_text=True)
    city_id = re.search(r'<option value="(\d+)">Brugge</option>', page).group(1)
    empty = client.post_form("/programma/scholen/nieuw", {"name": "", "city_id": city_id})
    assert empty.status_code == 422 and "Vul een naam in." in empty.get_data(as_text=True)
    response = client.post_form("/programma/scholen/nieuw", {"name": "Basisschool De Zee", "city_id": city_id, "network_id": 0})
    assert response.status_code == 302
    assert "Basisschool De Zee" in client.get("/programma").get_data(as_text=True)
    city = client.get("/programma/steden").get_data(as_text=True)
    city_edit = re.search(r'href="(/programma/steden/\d+)">Bewerken<span class="visually-hidden"> Brugge', city).group(1)
    refused = client.post_form(city_edit + "/verwijderen", follow_redirects=True)
    assert "Er hangt nog iets aan: scholen: 1." in refused.get_data(as_text=True)


def test_school_factory_schools_are_not_shown_to_advisers_elsewhere(auth, world):
    SchoolFactory(name="Verre School")
    client = auth.client_for(world.users["adviser"])
    page = client.get("/").get_data(as_text=True)
    assert world.school.name in page and "Verre School" not in page
