"""Render once, serve many (warmeveranderen/pagecache.py, issue 24): cached parts of school pages are
right for whoever asks, and a change by anyone shows on the next request."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from tests.factories import MembershipFactory
from tests.factories_forum import AdviceFactory, AdviceRoundFactory
from tests.factories_sprints import InitiativeFactory, SprintCalendarFactory, SprintFactory
from tests.test_queries import counting
from warmeveranderen import pagecache
from warmeveranderen.extensions import db
from warmeveranderen.notifications.models import Notification
from warmeveranderen.programme.models import Programme, School
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import today

# Every page kept in the part cache, with who may see it.
PAGES = {
    "school home": "/scholen/{school}",
    "progress": "/scholen/{school}/voortgang",
    "sprints": "/scholen/{school}/sprints",
    "sprint": "/sprints/{sprint}",
    "board": "/sprints/{sprint}/bord",
    "backlog": "/scholen/{school}/backlog",
    "forum": "/scholen/{school}/forum",
    "vision": "/scholen/{school}/visie",
    "surveys": "/scholen/{school}/bevragingen",
    "forum round": "/scholen/{school}/forum/rondes/{round}",
    "initiative": "/initiatieven/{initiative}",
    "intake": "/scholen/{school}/intake",
    "people": "/scholen/{school}/mensen",
    "network": "/netwerken/{network}",
    "ideas": "/scholen/{school}/ideeen",
    "tasks": "/scholen/{school}/taken",
    "home": "/",
}
# Roles that may see each page of school A (the surveys are for the school's staff and advisers).
VIEWERS = ("flywheel_lead", "director", "forum", "pupil", "board", "flywheel", "adviser", "coordinator")

CSRF = re.compile(r'(name="[a-z0-9_-]*csrf_token"[^>]*value=")[^"]+(")'
                  r'|(value=")[^"]+("[^>]*name="[a-z0-9_-]*csrf_token")|(data-csrf=")[^"]+(")')


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    """The parts' keys hold the minute: a test that expects a hit must not cross into the next one."""
    from datetime import datetime

    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))


def journey(world):
    """School A with a sprint calendar, a running sprint with an initiative and one on the backlog."""
    school = world.school
    day = today()
    SprintCalendarFactory(school=school, start_date=day - timedelta(days=14))
    sprint = SprintFactory(school=school, number=1, start_date=day - timedelta(days=14),
                           end_date=day + timedelta(days=50), state="active", goal="Samen sterker")
    buddy = InitiativeFactory(school=school, sprint=sprint, title="Buddywerking", status="planned")
    InitiativeFactory(school=school, title="Stiltehoek", status="idea")
    round_ = AdviceRoundFactory(school=school, subject_title="Buddywerking")
    AdviceFactory(round=round_, author=world.users["forum"], stance="support", reasoning="Sterk idee.")
    db.session.commit()
    sprint.round_id, sprint.initiative_id = round_.id, buddy.id
    return sprint


def url(page: str, world, sprint) -> str:
    return PAGES[page].format(school=world.school.id, sprint=sprint.id, round=sprint.round_id,
                             initiative=sprint.initiative_id, network=world.school.network_id)


def parts_of(response) -> str:
    return response.headers.get("X-Part-Cache", "")


def without_tokens(html: str) -> str:
    return CSRF.sub(lambda m: (m.group(1) or m.group(3) or m.group(5)) + "TOKEN" + (m.group(2) or m.group(4) or m.group(6)),
                    html)


def fresh(app, client, address: str) -> str:
    """The page as `client` gets it rendered afresh, without any kept part (the cache off for one request)."""
    app.config["PART_CACHE_SECONDS"] = 0
    try:
        return client.get(address).get_data(as_text=True)
    finally:
        app.config["PART_CACHE_SECONDS"] = 60


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_change_by_another_person_shows_on_the_next_request(auth, world, page):
    sprint = journey(world)
    viewer = auth.client_for(world.users["director"])
    address = url(page, world, sprint)
    viewer.get(address)
    warm = viewer.get(address)
    assert warm.status_code == 200
    assert "hit" in parts_of(warm) and "miss" not in parts_of(warm), parts_of(warm)
    # The coordinator renames the school (another person, another request).
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(f"/programma/scholen/{world.school.id}/bewerken",
                                     {"name": "Warme School Zonnebloem", "city_id": world.school.city_id,
                                      "network_id": world.school.network_id or 0, "level": "", "umbrella": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    after = viewer.get(address)
    assert "Warme School Zonnebloem" in after.get_data(as_text=True)
    assert "miss" in parts_of(after)


@pytest.mark.parametrize("page", ["school home", "backlog", "sprint", "board", "initiative"])
def test_a_change_inside_the_school_shows_on_the_next_request(auth, world, page):
    """A change that belongs to the school only (not the programme): an initiative renamed."""
    sprint = journey(world)
    viewer = auth.client_for(world.users["forum"] if page == "school home" else world.users["director"])
    address = url(page, world, sprint)
    viewer.get(address)
    before = db.session.scalar(select(Programme.cache_version))
    lead = auth.client_for(world.users["flywheel_lead"])
    if page == "school home":
        # A forum member's idea reaches the school's home (the ideas panel).
        response = auth.client_for(world.users["pupil"]).post_form(
            f"/scholen/{world.school.id}/ideeen/nieuw",
            {"title": "Een bank in de speelplaats", "body": "Om samen te zitten.", "building_block": "",
             "vision_part": ""})
        shown = "Een bank in de speelplaats"
    else:
        initiative = db.session.scalar(select(Initiative).where(Initiative.title == "Buddywerking"
                                                                if page != "backlog" else Initiative.title == "Stiltehoek"))
        response = lead.post_form(f"/initiatieven/{initiative.id}/bewerken",
                                  {"title": "Buddywerking op de speelplaats" if page != "backlog" else "Stille hoek",
                                   "building_block": "culture"})
        shown = "Buddywerking op de speelplaats" if page != "backlog" else "Stille hoek"
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    db.session.expire_all()
    assert db.session.scalar(select(Programme.cache_version)) == before  # the school's own version moved
    assert shown in viewer.get(address).get_data(as_text=True)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_viewer_never_gets_a_part_cached_for_other_roles(app, auth, world, page):
    """Everyone looks at the page in turn (filling the cache for their roles); then each one's page from
    the cache is exactly the page rendered for them afresh, but for the CSRF token."""
    sprint = journey(world)
    address = url(page, world, sprint)
    clients = {role: auth.client_for(world.users[role]) for role in VIEWERS}
    allowed = {role: c for role, c in clients.items() if c.get(address).status_code == 200}
    assert {"director", "flywheel_lead", "coordinator"} <= set(allowed)
    # The second request takes the page's blocks from the cache; the third the whole page around them.
    for c in allowed.values():
        c.get(address)
    cached = {role: c.get(address).get_data(as_text=True) for role, c in allowed.items()}
    for role, c in allowed.items():
        assert without_tokens(cached[role]) == without_tokens(fresh(app, c, address)), role
    # And the roles do see different pages where their rights differ.
    if page in ("sprint", "backlog", "sprints"):
        assert without_tokens(cached["forum"]) != without_tokens(cached["flywheel_lead"])


def test_the_csrf_token_in_a_cached_part_is_the_viewers_own(auth, world):
    """The sprint page's forms come from the cache with the token of the person who asks."""
    sprint = journey(world)
    first, second = auth.client_for(world.users["flywheel_lead"]), auth.client_for(world.users["director"])
    first.get(f"/sprints/{sprint.id}")
    page = second.get(f"/sprints/{sprint.id}").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))
    assert tokens and pagecache.CSRF_PLACEHOLDER not in page
    # The director can post the sprint goal form they were given.
    token = tokens.pop()
    response = second.post(f"/sprints/{sprint.id}/doel", data={"csrf_token": token, "goal": "Rust in de klas"})
    assert response.status_code == 302


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_kept_whole_is_the_page_its_viewer_would_get(app, auth, world, page):
    """From the third request on, the layout around a page's kept blocks is kept too, per person and
    menu: it is byte for byte the page rendered afresh, but for the CSRF token, which is the viewer's own."""
    sprint = journey(world)
    address = url(page, world, sprint)
    client = auth.client_for(world.users["director"])
    for _ in range(3):
        whole = client.get(address)
    assert whole.status_code == 200 and pagecache.CSRF_PLACEHOLDER not in whole.get_data(as_text=True)
    assert without_tokens(whole.get_data(as_text=True)) == without_tokens(fresh(app, client, address))
    # The footer's language switch carries the viewer's own token: it posts.
    token = re.search(r'name="csrf_token" value="([^"]+)"', whole.get_data(as_text=True)).group(1)
    switched = client.post("/taal/en", data={"csrf_token": token, "next": address})
    assert switched.status_code == 302
    assert 'lang="en"' in client.get(address).get_data(as_text=True)


def test_a_message_after_a_change_shows_on_a_page_kept_whole(auth, world):
    """A flashed message is part of the layout: a page that has one is rendered around its kept blocks,
    shown once, and the next request is kept whole again."""
    sprint = journey(world)
    client = auth.client_for(world.users["flywheel_lead"])
    address = f"/sprints/{sprint.id}"
    for _ in range(3):
        page = client.get(address).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/sprints/{sprint.id}/doel", data={"csrf_token": token, "goal": "Rust in de klas"})
    assert response.status_code == 302
    shown = client.get(address).get_data(as_text=True)
    assert 'class="flash-messages"' in shown and "Rust in de klas" in shown
    for _ in range(2):
        again = client.get(address).get_data(as_text=True)
        assert 'class="flash-messages"' not in again and "Rust in de klas" in again
    # A message from an action that changed nothing of the school (the page's blocks are a hit).
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Je voorkeuren zijn bewaard.")]
    assert "Je voorkeuren zijn bewaard." in client.get(address).get_data(as_text=True)
    assert "Je voorkeuren zijn bewaard." not in client.get(address).get_data(as_text=True)


def test_warm_school_pages_take_one_statement(auth, world):
    sprint = journey(world)
    client = auth.client_for(world.users["director"])
    for page in PAGES:
        address = url(page, world, sprint)
        client.get(address)
        with counting() as statements:
            assert client.get(address).status_code == 200
        # One statement reads the person, their schools with their versions, the unread count and what
        # the page is about: the sprint of /sprints/<id>, the round, the network with the sum of its
        # schools' versions (accounts/loading.py). No page reads a version of its own.
        assert len(statements) == 1, (page, statements)
        assert "FROM users" in statements[0] and "notifications" in statements[0], statements[0]


@pytest.mark.parametrize("page", ["progress", "sprint", "board", "initiative", "forum round", "school home"])
def test_a_warm_page_of_a_school_one_is_not_a_member_of_is_one_statement(auth, world, page):
    """The adviser coaches school A without a role in it: its row (and the sprint's, the round's...)
    comes with the person, with the school's version. (A learning network's page also reads the
    schools the adviser is assigned to, to know whether one is in that network: two statements.)"""
    sprint = journey(world)
    client = auth.client_for(world.users["adviser"])
    address = url(page, world, sprint)
    client.get(address)
    with counting() as statements:
        assert client.get(address).status_code == 200
    assert len(statements) == 1, (page, statements)


def test_a_post_reads_its_objects_itself_and_a_missing_one_is_still_a_404(auth, world):
    """Only a GET reads the page's object with the person: a POST reads (and may lock) it itself."""
    sprint = journey(world)
    client = auth.client_for(world.users["flywheel_lead"])
    page = client.get(f"/sprints/{sprint.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    with counting() as statements:
        response = client.post(f"/sprints/{sprint.id}/doel", data={"csrf_token": token, "goal": "Rust op de speelplaats"})
    assert response.status_code == 302
    assert "FROM users" in statements[0] and "sprints" not in statements[0].split("WHERE")[0].split("FROM", 1)[1]
    assert "Rust op de speelplaats" in client.get(f"/sprints/{sprint.id}").get_data(as_text=True)
    for missing in ("/sprints/999999", "/sprints/999999/bord", "/initiatieven/999999",
                    f"/scholen/{world.school.id}/forum/rondes/999999", "/netwerken/999999"):
        assert client.get(missing).status_code == 404, missing
    # A round of school A asked for under school B's address is not found either.
    assert client.get(f"/scholen/{world.other_school.id}/forum/rondes/{sprint.round_id}").status_code in (403, 404)


# --- versions ---------------------------------------------------------------------------------


def versions(school) -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(School.cache_version).where(School.id == school.id)),
            db.session.scalar(select(Programme.cache_version)))


def test_a_change_is_traced_to_its_school_through_its_parents(world):
    school, other = world.school, world.other_school
    round_ = AdviceRoundFactory(school=school)
    db.session.commit()
    before, other_before = versions(school), versions(other)
    AdviceFactory(round=round_, author=world.users["forum"])  # an advice has no school_id of its own
    db.session.commit()
    after = versions(school)
    assert after[0] == before[0] + 1 and after[1] == before[1]
    assert versions(other)[0] == other_before[0]


def test_what_no_part_shows_bumps_nothing(world):
    school = world.school
    before = versions(school)
    user = world.users["director"]
    user.session_version += 1  # a logout elsewhere
    db.session.add(Notification(user_id=user.id, school_id=school.id, category="test", title="Een melding"))
    db.session.commit()
    assert versions(school) == before


def test_a_persons_name_and_bulk_statements_bump_the_programme(world):
    school = world.school
    before = versions(school)
    world.users["forum"].name = "Nieuwe naam"
    db.session.commit()
    assert versions(school)[1] == before[1] + 1
    db.session.execute(update(Initiative).where(Initiative.school_id == school.id).values(position=1))
    db.session.commit()
    assert versions(school)[1] == before[1] + 2


def test_a_rolled_back_change_bumps_nothing(world):
    school = world.school
    before = versions(school)
    db.session.add(Initiative(school=school, title="Nooit bewaard", building_block="culture", status="idea",
                              position=99, core_missions=[]))
    db.session.flush()
    db.session.rollback()
    db.session.execute(text("SELECT 1"))
    db.session.commit()
    assert versions(school) == before


def test_another_schools_member_never_shares_the_parts(auth, world):
    """The outsider (director of school B) gets school B's pages, never school A's cached ones."""
    MembershipFactory(school=world.other_school, role="flywheel", user=world.users["outsider"], is_lead=True)
    db.session.commit()
    sprint = journey(world)
    auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}")
    outsider = auth.client_for(world.users["outsider"])
    assert outsider.get(f"/scholen/{world.school.id}").status_code == 403
    assert outsider.get(f"/sprints/{sprint.id}").status_code == 403
    page = outsider.get(f"/scholen/{world.other_school.id}").get_data(as_text=True)
    assert "Andere School B" in page and "Buddywerking" not in page


def test_simultaneous_changes_each_raise_the_version_and_all_show(auth, world, database_url):
    """Real concurrent requests (PostgreSQL): four people send an idea at once; the school's version
    rises once per commit (no lost update on the row) and the next page shows all four."""
    import threading

    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    school = world.school
    authors = ["forum", "pupil", "flywheel", "board"]
    clients = {role: auth.client_for(world.users[role]) for role in authors}
    tokens = {role: c.csrf_token() for role, c in clients.items()}
    director = auth.client_for(world.users["director"])
    director.get(f"/scholen/{school.id}")
    before = versions(school)[0]
    barrier, statuses = threading.Barrier(len(authors)), {}

    def send(role):
        barrier.wait(10)
        response = clients[role].post(f"/scholen/{school.id}/ideeen/nieuw", data={
            "csrf_token": tokens[role], "title": f"Idee van {role}", "body": "Samen beter.", "building_block": "",
            "vision_part": ""})
        statuses[role] = response.status_code

    threads = [threading.Thread(target=send, args=(role,)) for role in authors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == {role: 302 for role in authors}
    assert versions(school)[0] == before + len(authors)
    page = director.get(f"/scholen/{school.id}/ideeen").get_data(as_text=True)
    assert all(f"Idee van {role}" in page for role in authors)
    # The school's home (cached before the ideas came in) shows the newest of them in its panel.
    home = director.get(f"/scholen/{school.id}")
    assert "4 ideeën wachten" in home.get_data(as_text=True) and "miss" in home.headers["X-Part-Cache"]


def test_the_menu_on_a_school_page_follows_the_unread_count_the_name_and_the_schools(auth, world):
    """The person's menu is kept per person on school pages; what it shows still changes at once."""
    director = world.users["director"]
    client = auth.client_for(director)
    address = f"/scholen/{world.school.id}"
    client.get(address)
    assert "ongelezen" not in client.get(address).get_data(as_text=True)
    db.session.add(Notification(user_id=director.id, school_id=world.school.id, category="test", title="Nieuw"))
    db.session.commit()
    assert "ongelezen meldingen" in client.get(address).get_data(as_text=True)
    director.name = "Directeur Dirk Nieuw"
    db.session.commit()
    assert "Directeur Dirk Nieuw" in client.get(address).get_data(as_text=True)
    # A role in a second school: the school switcher appears.
    MembershipFactory(school=world.other_school, role="board", user=director)
    db.session.commit()
    page = client.get(address).get_data(as_text=True)
    assert 'id="switch-school"' in page and "Andere School B" in page


def test_a_learning_networks_page_follows_a_change_in_any_of_its_schools(auth, world):
    """The network page is kept per person and by the sum of its schools' versions: a question a
    school of the network asks shows on the next request, without touching the programme."""
    from tests.factories import SchoolFactory
    from tests.factories_networks import QuestionFactory

    network = world.school.network
    neighbour = SchoolFactory(name="Buurschool", city=world.school.city, network=network)
    db.session.commit()
    client = auth.client_for(world.users["director"])
    address = f"/netwerken/{network.id}"
    client.get(address)
    assert "hit" in client.get(address).headers["X-Part-Cache"]
    before = versions(world.school)[1]
    QuestionFactory(school=neighbour, author=world.users["flywheel"], title="Hoe vangen jullie zij-instromers op?")
    db.session.commit()
    assert versions(world.school)[1] == before
    response = client.get(address)
    assert "Hoe vangen jullie zij-instromers op?" in response.get_data(as_text=True)
    assert "miss" in response.headers["X-Part-Cache"]


# --- an adviser's home: all the schools they coach -------------------------------------------------


def test_an_advisers_home_is_kept_and_follows_a_change_in_any_school_they_coach(auth, world):
    """The adviser's home lists to-dos across their schools: a rating recorded in one of them (by
    HTTP) shows on the next request; a change in a school they do not coach keeps the page."""
    from tests.test_tracking_journey import rating_form

    journey(world)
    other_lead = MembershipFactory(school=world.other_school, role="flywheel", is_lead=True).user
    db.session.commit()
    adviser = auth.client_for(world.users["adviser"])
    adviser.get("/")
    warm = adviser.get("/")
    todo = "Indicatoren nog niet gescoord dit schooljaar"
    assert parts_of(warm) == "home-adviser=hit" and todo in warm.get_data(as_text=True)
    # Another school's change (not theirs) leaves the adviser's home as it was.
    response = auth.client_for(other_lead).post_form(
        f"/scholen/{world.other_school.id}/ideeen/nieuw",
        {"title": "Elders", "body": "Niet bij de adviseur.", "building_block": "", "vision_part": ""})
    assert response.status_code == 302
    assert parts_of(adviser.get("/")) == "home-adviser=hit"
    # A rating in their own school: the to-do is gone on the next request.
    assert adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren",
                             rating_form(today(), ["started"] * 9)).status_code == 302
    after = adviser.get("/")
    assert parts_of(after) == "home-adviser=miss" and todo not in after.get_data(as_text=True)


def test_an_advisers_home_follows_a_new_assignment(auth, world):
    """A school assigned to the adviser by the coordinator appears on their next request."""
    from tests.factories import AdviserAssignmentFactory

    adviser = auth.client_for(world.users["adviser"])
    adviser.get("/")
    assert world.other_school.name not in adviser.get("/").get_data(as_text=True)
    AdviserAssignmentFactory(adviser=world.users["adviser"], school=world.other_school)
    db.session.commit()
    assert world.other_school.name in adviser.get("/").get_data(as_text=True)


def test_a_warm_advisers_home_is_one_statement(auth, world):
    adviser = auth.client_for(world.users["adviser"])
    adviser.get("/")
    with counting() as statements:
        assert adviser.get("/").status_code == 200
    # The person with the unread count, the programmes' version and their schools' versions.
    assert len(statements) == 1 and "FROM users" in statements[0] and "adviser_assignments" in statements[0]


# --- the person's notifications -------------------------------------------------------------------


def two_lists(world):
    """A notification for the forum member and one for the pupil: (member, pupil, the member's)."""
    from warmeveranderen.notifications import services

    member, other = world.users["forum"], world.users["pupil"]
    first = services.notify([member], category="sprint", title="Eerste melding", url="/")[0]
    services.notify([other], category="sprint", title="Melding voor de leerling", url="/")
    db.session.commit()
    return member, other, first


def test_the_notifications_page_follows_the_persons_own_list(auth, world):
    """Kept per person and the state of their list: a new notification, one opened (read) and one
    removed each show on the next request; someone else's page is never theirs."""
    from warmeveranderen.notifications import services

    member, other, first = two_lists(world)
    client = auth.client_for(member)
    client.get("/meldingen/")
    warm = client.get("/meldingen/")
    assert parts_of(warm) == "notifications=hit" and "Eerste melding" in warm.get_data(as_text=True)
    assert "Melding voor de leerling" not in warm.get_data(as_text=True)
    # Something arrives (the sweep, another person's action): shown on the next request.
    services.notify([member], category="sprint", title="Tweede melding", url="/")
    db.session.commit()
    after = client.get("/meldingen/")
    assert parts_of(after) == "notifications=miss" and "Tweede melding" in after.get_data(as_text=True)
    # Opened: no longer "nieuw".
    assert client.post_form(f"/meldingen/{first.id}").status_code == 302
    page = client.get("/meldingen/").get_data(as_text=True)
    assert page.count(">nieuw<") == 1
    # Removed (the retention job): gone.
    db.session.execute(db.delete(Notification).where(Notification.id == first.id))
    db.session.commit()
    assert "Eerste melding" not in client.get("/meldingen/").get_data(as_text=True)
    # The pupil's own page shows only theirs.
    pupil_page = auth.client_for(other).get("/meldingen/").get_data(as_text=True)
    assert "Melding voor de leerling" in pupil_page and "Tweede melding" not in pupil_page


# --- what every page does per request ---------------------------------------------------------------


def test_a_warm_school_home_leaves_the_session_cookie_alone(auth, world):
    """The active school is written to the session only when it changes: a write re-signs the cookie."""
    MembershipFactory(school=world.other_school, role="director", user=world.users["director"])
    db.session.commit()
    client = auth.client_for(world.users["director"])
    client.get(f"/scholen/{world.school.id}")
    again = client.get(f"/scholen/{world.school.id}")
    assert again.status_code == 200 and not again.headers.get_all("Set-Cookie")
    # Opening another of one's schools makes it the active one (the menu's school).
    other = client.get(f"/scholen/{world.other_school.id}")
    assert other.status_code == 200 and other.headers.get_all("Set-Cookie")
    with client.session_transaction() as session:
        assert session["school_id"] == world.other_school.id


def test_the_layouts_stylesheets_and_scripts_follow_the_application_root(client):
    """Rendered once per process and application root (core/vendor.py: layout_assets)."""
    page = client.get("/inloggen").get_data(as_text=True)
    for tag in ('<link rel="stylesheet" href="/bootstrap/static/css/bootstrap.min.css">',
                '<link rel="stylesheet" href="/static/css/app.css">', '<script src="/static/js/app.js"></script>',
                '<script src="/bootstrap/static/js/bootstrap.min.js"></script>',
                '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'):
        assert tag in page, tag
    behind = client.get("/inloggen", environ_overrides={"SCRIPT_NAME": "/wv"}).get_data(as_text=True)
    assert '<link rel="stylesheet" href="/wv/static/css/app.css">' in behind
    assert '<script src="/wv/bootstrap/static/js/bootstrap.min.js"></script>' in behind
    assert '<link rel="stylesheet" href="/static/css/app.css">' in client.get("/inloggen").get_data(as_text=True)


def _kept_and_fresh(app, client, address: str) -> tuple[str, str]:
    client.get(address)
    kept = client.get(address)
    assert "=hit" in parts_of(kept) and "miss" not in parts_of(kept), parts_of(kept)
    return kept.get_data(as_text=True), fresh(app, client, address)


def test_the_school_list_is_kept_and_follows_a_change_in_any_school(app, auth, world):
    """The school list is kept per viewer and the versions of all schools (pagecache.programme_wide):
    an adviser given a school (a change of that school only, not the programme's) gets its link on the
    next request; the kept page is the page rendered afresh, for an adviser and the coordinator."""
    adviser = auth.client_for(world.users["adviser"])
    kept, rendered = _kept_and_fresh(app, adviser, "/programma")
    assert without_tokens(kept) == without_tokens(rendered)
    assert f'href="/scholen/{world.other_school.id}"' not in kept
    before = db.session.scalar(select(Programme.cache_version))
    from tests.factories import AdviserAssignmentFactory

    AdviserAssignmentFactory(adviser=world.users["adviser"], school=world.other_school)
    db.session.commit()
    assert db.session.scalar(select(Programme.cache_version)) == before  # the school's own version moved
    assert f'href="/scholen/{world.other_school.id}"' in adviser.get("/programma").get_data(as_text=True)
    kept, rendered = _kept_and_fresh(app, auth.client_for(world.users["coordinator"]), "/programma")
    assert without_tokens(kept) == without_tokens(rendered)


@pytest.mark.parametrize("address", ["/programma/mensen", "/programma/mensen?zoek=Forum"])
def test_the_people_page_is_kept_and_follows_a_change_in_any_school(app, auth, world, address):
    coordinator = auth.client_for(world.users["coordinator"])
    kept, rendered = _kept_and_fresh(app, coordinator, address)
    assert without_tokens(kept) == without_tokens(rendered)
    before = db.session.scalar(select(Programme.cache_version))
    # The forum member also joins school B's board: a change of school B only.
    MembershipFactory(school=world.other_school, role="board", user=world.users["forum"])
    db.session.commit()
    assert db.session.scalar(select(Programme.cache_version)) == before
    page = coordinator.get(address).get_data(as_text=True)
    row = page[page.index(world.users["forum"].email) - 600:page.index(world.users["forum"].email) + 600]
    assert "Andere School B" in row


def test_an_invitation_shows_on_the_kept_people_page_at_once(auth, world, outbox):
    client = auth.client_for(world.users["coordinator"])
    client.get("/programma/mensen")
    client.get("/programma/mensen")
    response = client.post_form("/programma/mensen", {
        "name": "Bert Bestuur", "email": "bert@example.org", "school_id": world.school.name, "role": "board"})
    assert response.status_code == 302
    page = client.get("/programma/mensen").get_data(as_text=True)
    assert "Uitnodiging verstuurd naar bert@example.org" in page and "Bert Bestuur (bert@example.org)" in page
    again = client.get("/programma/mensen").get_data(as_text=True)
    assert "Uitnodiging verstuurd" not in again and "Bert Bestuur (bert@example.org)" in again


@pytest.mark.parametrize("address", ["/programma/opvolging", "/programma/intake", "/programma/intake?status=active"])
def test_programme_tables_are_kept_and_follow_a_change_in_one_school(app, auth, world, address):
    """Opvolging and the intake overview are kept per viewer and the versions of all schools: a rating
    or an agreement of one school (its version only) changes the page on the next request, exactly as
    rendered afresh."""
    from tests.factories_intake import IntakeAgreementFactory
    from tests.factories_tracking import IndicatorRatingFactory
    from warmeveranderen.tracking import queries
    from warmeveranderen.tracking.windows import school_year

    definitions = queries.indicators()
    db.session.commit()
    coordinator = auth.client_for(world.users["coordinator"])
    before, rendered = _kept_and_fresh(app, coordinator, address)
    assert without_tokens(before) == without_tokens(rendered)
    version = db.session.scalar(select(Programme.cache_version))
    if "opvolging" in address:
        IndicatorRatingFactory(school=world.school, indicator=definitions[0], rated_by=world.users["adviser"],
                               measured_on=today(), school_year=school_year(today()), level="realised")
    else:
        IntakeAgreementFactory(school=world.school, state="active")
    if "intake" in address:
        assert db.session.scalar(select(Programme.cache_version)) == version  # school A's own version moved
    after = coordinator.get(address).get_data(as_text=True)
    assert without_tokens(after) != without_tokens(before)
    assert without_tokens(after) == without_tokens(fresh(app, coordinator, address))


def test_the_coordinators_home_is_kept_and_follows_a_new_invitation(app, auth, world, outbox):
    """The coordinator's home counts the programme (people, schools, open invitations): kept per
    coordinator and the versions of all schools; an invitation to a school shows on the next request."""
    coordinator = auth.client_for(world.users["coordinator"])
    before, rendered = _kept_and_fresh(app, coordinator, "/")
    assert without_tokens(before) == without_tokens(rendered)
    response = coordinator.post_form("/programma/mensen", {
        "name": "Bert Bestuur", "email": "bert@example.org", "school_id": world.school.name, "role": "board"})
    assert response.status_code == 302
    coordinator.get("/programma/mensen")  # the message is shown there
    after = coordinator.get("/").get_data(as_text=True)
    assert without_tokens(after) != without_tokens(before)
    assert without_tokens(fresh(app, coordinator, "/")) == without_tokens(after)
