"""A warm page served again before the view (warmeveranderen/fastpath.py, issue 24): it is exactly the
page its viewer would get, and anything that changes what they may see or what the page shows sends
the request the normal way (the login, the view, its permission checks)."""

import re

import pytest
from sqlalchemy import delete, update

from tests.factories import MembershipFactory
from tests.test_pagecache import PAGES, fresh, journey, one_minute, two_lists, url, without_tokens  # noqa: F401 (a fixture)
from tests.test_queries import counting
from warmeveranderen import pagecache
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School

# Pages whose scope is replayed by none of the fast path's kinds (the notification list) render as before.
NOT_REPLAYED: set[str] = set()


def warm(client, address: str):
    """The first request renders and keeps the page; the next one is served before the view. (The
    first visit of a school's home makes it the active school in the session: that response is not
    kept, the second visit's is.)"""
    client.get(address)
    client.get(address)
    return client.get(address)


def fast(response) -> bool:
    return response.headers.get("X-Fast-Path") == "hit"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_warm_page_is_served_before_the_view_as_its_viewer_would_get_it(app, auth, world, page):
    sprint = journey(world)
    address = url(page, world, sprint)
    client = auth.client_for(world.users["director"])
    client.get(address)
    client.get(address)
    with counting() as statements:
        response = client.get(address)
    assert response.status_code == 200
    if page in NOT_REPLAYED:
        assert not fast(response)
        return
    assert fast(response), response.headers
    # One statement: the person's state and the page's versions, no ORM person, no view.
    assert len(statements) == 1 and "memberships" in statements[0], statements
    html = response.get_data(as_text=True)
    assert pagecache.CSRF_PLACEHOLDER not in html
    assert without_tokens(html) == without_tokens(fresh(app, client, address))
    # Its CSRF token is this session's own: the footer's language switch posts.
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/taal/en", data={"csrf_token": token, "next": address}).status_code == 302


def test_a_change_by_another_person_shows_on_the_next_request(auth, world):
    sprint = journey(world)
    address = f"/sprints/{sprint.id}"
    viewer = auth.client_for(world.users["director"])
    assert fast(warm(viewer, address))
    lead = auth.client_for(world.users["flywheel_lead"])
    assert lead.post_form(f"/sprints/{sprint.id}/doel", {"goal": "Rust in de klas"}).status_code == 302
    after = viewer.get(address)
    assert not fast(after) and "Rust in de klas" in after.get_data(as_text=True)
    assert fast(viewer.get(address))


def test_an_ended_session_is_never_served(auth, world):
    """Logged out everywhere (a new password does the same): the old cookie gets the login page."""
    client = auth.client_for(world.users["director"])
    address = f"/scholen/{world.school.id}"
    assert fast(warm(client, address))
    db.session.execute(update(User).where(User.id == world.users["director"].id)
                       .values(session_version=User.session_version + 1))
    db.session.commit()
    response = client.get(address)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_a_role_taken_away_is_refused_at_once(auth, world):
    client = auth.client_for(world.users["director"])
    address = f"/scholen/{world.school.id}/mensen"
    assert fast(warm(client, address))
    db.session.execute(delete(Membership).where(Membership.user_id == world.users["director"].id,
                                                Membership.school_id == world.school.id))
    db.session.commit()
    assert client.get(address).status_code == 403


def test_a_new_role_elsewhere_changes_the_menu_at_once(auth, world):
    director = world.users["director"]
    client = auth.client_for(director)
    address = f"/scholen/{world.school.id}"
    assert fast(warm(client, address))
    MembershipFactory(school=world.other_school, role="board", user=director)
    db.session.commit()
    page = client.get(address)
    assert not fast(page) and 'id="switch-school"' in page.get_data(as_text=True)


def test_a_deactivated_person_and_another_language_are_not_served_the_kept_page(auth, world):
    director = world.users["director"]
    client = auth.client_for(director)
    address = f"/scholen/{world.school.id}/forum"
    assert fast(warm(client, address))
    db.session.execute(update(User).where(User.id == director.id).values(locale="en"))
    db.session.commit()
    english = client.get(address)
    assert not fast(english) and 'lang="en"' in english.get_data(as_text=True)


def test_each_session_has_its_own_kept_pages(auth, world):
    """Two sessions of one person (a laptop and a phone) never share a response: each has its own CSRF
    secret, so each posts with the token it was served."""
    sprint = journey(world)
    address = f"/sprints/{sprint.id}"
    laptop, phone = auth.client_for(world.users["flywheel_lead"]), auth.client_for(world.users["flywheel_lead"])
    assert fast(warm(laptop, address))
    first = phone.get(address)
    assert not fast(first)
    served = warm(phone, address)
    assert fast(served)
    token = re.search(r'name="csrf_token" value="([^"]+)"', served.get_data(as_text=True)).group(1)
    assert phone.post(f"/sprints/{sprint.id}/doel", data={"csrf_token": token, "goal": "Samen"}).status_code == 302


def test_another_browser_with_a_copied_cookie_goes_through_the_login(auth, world):
    """Flask-Login's strong session protection: a session used from another browser is not served
    from the kept pages; the login deals with it as before (the session is dropped)."""
    client = auth.client_for(world.users["director"])
    address = f"/scholen/{world.school.id}"
    assert fast(warm(client, address))
    response = client.get(address, headers={"User-Agent": "Another browser/1.0"})
    assert not fast(response) and response.status_code == 302


def test_a_waiting_message_is_shown_and_not_kept(auth, world):
    client = auth.client_for(world.users["director"])
    address = f"/scholen/{world.school.id}"
    assert fast(warm(client, address))
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Je voorkeuren zijn bewaard.")]
    shown = client.get(address)
    assert not fast(shown) and "Je voorkeuren zijn bewaard." in shown.get_data(as_text=True)
    again = client.get(address)
    assert "Je voorkeuren zijn bewaard." not in again.get_data(as_text=True)


def test_an_advisers_home_is_served_before_the_view_and_follows_their_schools(auth, world):
    from tests.factories import AdviserAssignmentFactory

    adviser = world.users["adviser"]
    client = auth.client_for(adviser)
    assert fast(warm(client, "/"))
    # A new school to coach: the assignment is part of the state (and raises the school's version).
    AdviserAssignmentFactory(adviser=adviser, school=world.other_school)
    db.session.commit()
    home = client.get("/")
    assert not fast(home) and "Andere School B" in home.get_data(as_text=True)


def test_a_post_and_an_error_are_never_kept(auth, world):
    client = auth.client_for(world.users["director"])
    outside = f"/scholen/{world.other_school.id}"
    for _ in range(3):
        response = client.get(outside)
        assert response.status_code == 403 and not fast(response)


def test_a_learning_networks_page_follows_its_schools(auth, world):
    """The network's page is kept under the sum and number of its schools' versions: a change in one
    of them, a school that leaves and one that joins each show on the next request."""
    network_id = world.school.network_id
    address = f"/netwerken/{network_id}"
    client = auth.client_for(world.users["director"])
    assert fast(warm(client, address))
    # A change in one of its schools (a rename, through the coordinator's form).
    coordinator = auth.client_for(world.users["coordinator"])
    form = {"name": "Warme School A2", "city_id": world.school.city_id, "network_id": network_id,
            "level": world.school.level or "", "umbrella": world.school.umbrella or ""}
    assert coordinator.post_form(f"/programma/scholen/{world.school.id}/bewerken", form).status_code == 302
    renamed = client.get(address)
    assert not fast(renamed) and "Warme School A2" in renamed.get_data(as_text=True)
    assert fast(client.get(address))
    # Another school joins the network, then leaves it: its name comes and goes at once. (A school's own
    # row shows on programme pages too, so these also raise the programmes' version; the next test
    # changes only what a school holds.)
    db.session.get(School, world.other_school.id).network_id = network_id
    db.session.commit()
    joined = client.get(address)
    assert not fast(joined) and "Andere School B" in joined.get_data(as_text=True)
    assert fast(client.get(address))
    db.session.get(School, world.other_school.id).network_id = None
    db.session.commit()
    left = client.get(address)
    assert not fast(left) and "Andere School B" not in left.get_data(as_text=True)
    assert fast(client.get(address))
    # The director's own school leaves the network: they may no longer see its page, at once.
    db.session.get(School, world.school.id).network_id = None
    db.session.commit()
    assert client.get(address).status_code == 403


def test_a_networks_version_read_by_the_view_itself_is_the_one_read_with_the_person(auth, world, monkeypatch):
    """When the person was loaded before the page's view arguments were known, the view reads the
    network's version itself (it raised an ArgumentError before): the same value, so the part kept by
    the other way is served."""
    from warmeveranderen import memo

    address = f"/netwerken/{world.school.network_id}"
    first = auth.client_for(world.users["director"])
    assert first.get(address).status_code == 200
    loaded_with = memo.loaded_with
    monkeypatch.setattr(memo, "loaded_with", lambda name, *key: None if name == "network_version"
                        else loaded_with(name, *key))
    other = auth.client_for(world.users["director"])  # another session: no kept response of its own
    page = other.get(address)
    assert page.status_code == 200 and "Warme School A" in page.get_data(as_text=True)
    assert "network=hit" in page.headers["X-Part-Cache"], page.headers["X-Part-Cache"]


def test_the_notification_list_is_served_before_the_view_and_follows_the_list(auth, world):
    """The person's list is kept under its state (number, ids, read ones), read in the fast path's one
    statement: what arrives, is opened or removed shows on the next request; nobody gets another's."""
    from warmeveranderen.notifications import services
    from warmeveranderen.notifications.models import Notification

    member, other, first = two_lists(world)
    client = auth.client_for(member)
    client.get("/meldingen/")
    client.get("/meldingen/")
    with counting() as statements:
        served = client.get("/meldingen/")
    assert fast(served) and "Eerste melding" in served.get_data(as_text=True)
    # One statement: the person's state with their list's.
    assert len(statements) == 1 and "FROM notifications" in statements[0], statements
    assert without_tokens(served.get_data(as_text=True)) == without_tokens(fresh(client.application, client, "/meldingen/"))
    services.notify([member], category="sprint", title="Tweede melding", url="/")
    db.session.commit()
    arrived = client.get("/meldingen/")
    assert not fast(arrived) and "Tweede melding" in arrived.get_data(as_text=True)
    assert fast(client.get("/meldingen/"))
    assert client.post_form(f"/meldingen/{first.id}").status_code == 302  # opened: no longer "nieuw"
    opened = client.get("/meldingen/")
    assert not fast(opened) and opened.get_data(as_text=True).count(">nieuw<") == 1
    assert fast(client.get("/meldingen/"))
    db.session.execute(delete(Notification).where(Notification.id == first.id))  # the retention job
    db.session.commit()
    removed = client.get("/meldingen/")
    assert not fast(removed) and "Eerste melding" not in removed.get_data(as_text=True)
    pupil = auth.client_for(other)
    assert "Tweede melding" not in warm(pupil, "/meldingen/").get_data(as_text=True)


def test_a_learning_networks_page_follows_what_its_schools_hold(auth, world):
    """A change that raises only a school's version (an indicator rated: the coordinator and the
    network's advisers see every school's levels on the network's page) shows on the next request:
    the page's key is its schools' versions, not only the programme's."""
    from tests.factories_tracking import IndicatorRatingFactory
    from warmeveranderen.programme.models import Programme
    from warmeveranderen.tracking import services

    definition = services.indicators()[0]
    db.session.commit()
    address = f"/netwerken/{world.school.network_id}"
    coordinator = world.users["coordinator"]
    client = auth.client_for(coordinator)
    before = warm(client, address)
    realised = before.get_data(as_text=True).count("wv-level wv-level-realised")  # the legend's, and none rated
    assert fast(before) and realised == 1
    programmes = db.session.scalar(db.select(db.func.sum(Programme.cache_version)))
    IndicatorRatingFactory(school=world.school, indicator=definition, rated_by=coordinator, level="realised")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.sum(Programme.cache_version))) == programmes
    after = client.get(address)
    assert not fast(after) and after.get_data(as_text=True).count("wv-level wv-level-realised") == realised + 1
