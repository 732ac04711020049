"""Questions between schools and the library: who sees what (network, programme, school), asking and
answering with notifications, the most helpful answer, search and filters, and "put on our backlog"
with its usage count. Issue 21's story: two schools share, a third asks and marks an answer helpful."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import AdviserAssignmentFactory, MembershipFactory, SchoolFactory, UserFactory
from tests.factories_networks import AnswerFactory, LibraryItemFactory, QuestionFactory
from warmeveranderen.extensions import db
from warmeveranderen.networks.models import LibraryItem, LibraryUse, NetworkAnswer, NetworkQuestion
from warmeveranderen.notifications.models import Notification
from warmeveranderen.sprints.models import Initiative


def _notified(user, category="network") -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id,
                                                            Notification.category == category)).all()


@pytest.fixture
def net(world):
    """School A's network with two more schools (B2, B3), each with a flywheel member and a director."""
    network = world.school.network
    n = SimpleNamespace(network=network, world=world)
    for key in ("b2", "b3"):
        school = SchoolFactory(name=f"Netwerkschool {key}", network=network, programme=world.school.programme)
        setattr(n, key, school)
        setattr(n, f"{key}_flywheel", MembershipFactory(school=school, role="flywheel").user)
        setattr(n, f"{key}_director", MembershipFactory(school=school, role="director").user)
        setattr(n, f"{key}_forum", MembershipFactory(school=school, role="forum", stakeholder_group="parent").user)
    return n


def _share(client, **fields):
    data = {"kind": "practice", "title": "Proactieve cirkels", "summary": "Elke maandag een **cirkel**.",
            "building_blocks": ["culture"], "core_missions": ["involvement"], "links": "https://www.sorrybox.be",
            "scope": "programme"}
    data.update(fields)
    return client.post_form("/kennisbank/delen", data)


def test_issue_story_share_ask_answer_mark_helpful(net, auth):
    w = net.world
    # Two schools of one network share a document and a practice with their network.
    r1 = _share(auth.client_for(net.b2_flywheel), kind="document", title="Onthaalbrochure", scope=str(net.network.id))
    r2 = _share(auth.client_for(net.b3_director), kind="practice", title="Buddy's voor nieuwkomers",
                scope=str(net.network.id), building_blocks=["people", "culture"])
    assert r1.status_code == r2.status_code == 302
    items = db.session.scalars(db.select(LibraryItem).order_by(LibraryItem.id)).all()
    assert [(i.kind, i.school_id, i.network_id) for i in items] == [
        ("document", net.b2.id, net.network.id), ("practice", net.b3.id, net.network.id)]
    page = auth.client_for(w.users["flywheel"]).get(r1.location).get_data(as_text=True)
    assert "Onthaalbrochure" in page and "Netwerkschool b2" in page and "https://www.sorrybox.be" in page

    # A third school (A) asks its network a question; the network's people hear of it, not other networks.
    asker = auth.client_for(w.users["flywheel"])
    response = asker.post_form("/netwerk/vragen/nieuw", {
        "title": "Hoe onthalen jullie zij-instromers?", "body": "We zoeken **ideeën**.",
        "building_block": "people", "scope": str(net.network.id)})
    assert response.status_code == 302
    question = db.session.scalars(db.select(NetworkQuestion)).one()
    assert (question.school_id, question.network_id) == (w.school.id, net.network.id)
    assert _notified(net.b2_flywheel) and _notified(net.b3_director) and _notified(w.users["adviser"])
    assert not _notified(w.users["outsider"]) and not _notified(net.b2_forum) and not _notified(w.users["flywheel"])

    # Two answers; the asker hears of each.
    for person, text in [(net.b2_flywheel, "Een buddy per klas."), (net.b3_director, "Een meter of peter.")]:
        assert auth.client_for(person).post_form(f"/netwerk/vragen/{question.id}/antwoorden",
                                                 {"body": text}).status_code == 302
    assert len(_notified(w.users["flywheel"])) == 2
    answers = db.session.scalars(db.select(NetworkAnswer).order_by(NetworkAnswer.id)).all()

    # Only the asker marks the most helpful; its author hears of it; another choice replaces it.
    other = auth.client_for(net.b3_director)
    assert other.post_form(f"/netwerk/vragen/{question.id}/antwoorden/{answers[0].id}/nuttig").status_code == 403
    assert asker.post_form(f"/netwerk/vragen/{question.id}/antwoorden/{answers[0].id}/nuttig").status_code == 302
    assert any("hielp het meest" in n.title for n in _notified(net.b2_flywheel))
    asker.post_form(f"/netwerk/vragen/{question.id}/antwoorden/{answers[1].id}/nuttig")
    db.session.expire_all()
    assert [a.helpful for a in db.session.scalars(db.select(NetworkAnswer).order_by(NetworkAnswer.id))] == [False, True]
    page = asker.get(f"/netwerk/vragen/{question.id}").get_data(as_text=True)
    assert page.index("Een meter of peter.") < page.index("Een buddy per klas.")  # the helpful one first
    assert "Hielp de vraagsteller het meest" in page

    # Findable later: searched in the question and its answers, filtered by network and state.
    found = asker.get("/netwerk/vragen?q=meter").get_data(as_text=True)
    assert "Hoe onthalen jullie zij-instromers?" in found
    assert "Hoe onthalen" not in asker.get("/netwerk/vragen?q=moestuin").get_data(as_text=True)
    assert "Hoe onthalen" in asker.get("/netwerk/vragen?status=solved").get_data(as_text=True)
    assert "Hoe onthalen" not in asker.get("/netwerk/vragen?status=open").get_data(as_text=True)


def test_who_sees_what_network_programme_school(net, auth):
    w = net.world
    in_network = QuestionFactory(school=net.b2, author=net.b2_flywheel, title="Netwerkvraag")
    to_all = QuestionFactory(school=net.b2, author=net.b2_flywheel, title="Programmavraag", network_id=None)
    item = LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Netwerkpraktijk")
    item_all = LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Programmapraktijk", network_id=None)
    outsider = auth.client_for(w.users["outsider"])  # a director in another network
    assert outsider.get(f"/netwerk/vragen/{in_network.id}").status_code == 403
    assert outsider.get(f"/netwerk/vragen/{to_all.id}").status_code == 200
    assert outsider.get(f"/kennisbank/{item.id}").status_code == 403
    assert outsider.get(f"/kennisbank/{item_all.id}").status_code == 200
    listed = outsider.get("/netwerk/vragen").get_data(as_text=True) + outsider.get("/kennisbank").get_data(as_text=True)
    assert "Programmavraag" in listed and "Programmapraktijk" in listed
    assert "Netwerkvraag" not in listed and "Netwerkpraktijk" not in listed
    # Forum members (parents, pupils) are not on the platform.
    assert auth.client_for(net.b2_forum).get("/netwerk").status_code == 403
    # A board member reads but does not answer.
    board = auth.client_for(w.users["board"])
    assert board.get(f"/netwerk/vragen/{in_network.id}").status_code == 200
    assert board.post_form(f"/netwerk/vragen/{in_network.id}/antwoorden", {"body": "x"}).status_code == 403
    # The outsider cannot post into a network that is not theirs (the choice is refused).
    response = outsider.post_form("/netwerk/vragen/nieuw", {"title": "Binnendringen", "scope": str(net.network.id)})
    assert response.status_code == 422
    assert db.session.scalar(db.select(NetworkQuestion).where(NetworkQuestion.title == "Binnendringen")) is None


def test_nothing_of_a_school_leaks_through_a_question(net, auth):
    """The question page names the school, but links to none of its own pages."""
    w = net.world
    q = QuestionFactory(school=w.school, author=w.users["flywheel"], title="Onze vraag")
    AnswerFactory(question=q, author=net.b2_flywheel, school=net.b2)
    page = auth.client_for(net.b3_flywheel).get(f"/netwerk/vragen/{q.id}").get_data(as_text=True)
    assert "Warme School A" in page and "Netwerkschool b2" in page
    assert f"/scholen/{w.school.id}" not in page and f"/scholen/{net.b2.id}" not in page


def test_put_a_library_item_on_our_backlog_counts_the_school(net, auth):
    w = net.world
    item = LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Proactieve cirkels",
                              building_blocks=["culture", "people"], health_level="class", health_strategy="education",
                              links="https://klasse.be")
    for person, school in [(w.users["flywheel"], w.school), (net.b3_director, net.b3)]:
        response = auth.client_for(person).post_form(f"/kennisbank/{item.id}/naar-backlog/{school.id}")
        assert response.status_code == 302 and "/initiatieven/" in response.location
    initiative = db.session.scalars(db.select(Initiative).where(Initiative.school_id == w.school.id)).one()
    assert (initiative.title, initiative.building_block, initiative.secondary_block, initiative.status) == (
        "Proactieve cirkels", "culture", "people", "idea")
    assert initiative.health_level == "class" and "Uit de kennisbank" in initiative.description
    # Twice for one school is refused; the usage counts schools.
    again = auth.client_for(w.users["director"]).post_form(f"/kennisbank/{item.id}/naar-backlog/{w.school.id}")
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(LibraryUse.id))) == 2
    page = auth.client_for(net.b2_flywheel).get(f"/kennisbank/{item.id}").get_data(as_text=True)
    assert "2 scholen gebruiken dit" in page
    # The initiative's page says where it came from.
    origin = auth.client_for(w.users["flywheel"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Uit de kennisbank" in origin and f"/kennisbank/{item.id}" in origin
    # A school in another network cannot adopt it.
    outsider = auth.client_for(w.users["outsider"])
    assert outsider.post_form(f"/kennisbank/{item.id}/naar-backlog/{w.other_school.id}").status_code == 403


def test_library_filters_and_search(net, auth):
    LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Leerlingenraad opstarten", kind="tool",
                       building_blocks=["structure"], core_missions=["involvement"], health_level="school",
                       health_strategy="policy")
    LibraryItemFactory(school=net.b3, shared_by=net.b3_director, title="Groeigesprekken", kind="document",
                       building_blocks=["people"], core_missions=["talent"], summary="Gesprekken met de klastitularis.")
    client = auth.client_for(net.world.users["director"])

    def titles(query):
        page = client.get(f"/kennisbank?{query}").get_data(as_text=True)
        return {t for t in ("Leerlingenraad opstarten", "Groeigesprekken") if t in page}

    assert titles("") == {"Leerlingenraad opstarten", "Groeigesprekken"}
    assert titles("bouwsteen=structure") == {"Leerlingenraad opstarten"}
    assert titles("kernopdracht=talent") == {"Groeigesprekken"}
    assert titles("soort=tool") == {"Leerlingenraad opstarten"}
    assert titles("cel=school:policy") == {"Leerlingenraad opstarten"}
    assert titles("q=klastitularis") == {"Groeigesprekken"}
    assert titles("netwerk=programme") == set()


def test_sharing_refuses_bad_input_and_keeps_it(net, auth):
    client = auth.client_for(net.b2_flywheel)
    response = _share(client, title="Mijn praktijk", links="niet een link", building_blocks=[])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Mijn praktijk"' in page and "Kies minstens één bouwsteen." in page
    response = _share(client, title="Mijn praktijk", links="ftp://x")
    assert response.status_code == 422 and "https://" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(LibraryItem.id))) == 0


def test_only_the_sharer_or_coordinator_edits(net, auth):
    item = LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Oud")
    assert auth.client_for(net.b3_director).get(f"/kennisbank/{item.id}/bewerken").status_code == 403
    response = auth.client_for(net.b2_flywheel).post_form(f"/kennisbank/{item.id}/bewerken", {
        "kind": "tool", "title": "Nieuw", "summary": "Beter.", "building_blocks": ["systems"], "scope": "programme"})
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(LibraryItem, item.id)
    assert (item.title, item.kind, item.network_id) == ("Nieuw", "tool", None)


def test_a_programme_question_reaches_coordinators_and_advisers(net, auth):
    coordinator = UserFactory(is_coordinator=True)
    far_adviser = UserFactory(is_adviser=True)
    AdviserAssignmentFactory(adviser=far_adviser, school=net.world.other_school)
    auth.client_for(net.b2_flywheel).post_form("/netwerk/vragen/nieuw", {"title": "Voor iedereen", "scope": "programme"})
    assert _notified(coordinator) and _notified(far_adviser)
    assert not _notified(net.b3_flywheel)  # school staff see it on the platform; no flood of emails


def test_notifications_follow_the_persons_preference(net, auth, outbox):
    """The network category is a preference like the others: immediate by email, or in the daily digest."""
    from datetime import datetime

    from warmeveranderen.domain import NOTIFICATION_CATEGORIES
    from warmeveranderen.notifications.sweep import sweep

    client = auth.client_for(net.b2_flywheel)
    assert "Lerend netwerk: vragen en antwoorden" in client.get("/meldingen/voorkeuren").get_data(as_text=True)
    prefs = {f"mode_{c}": "immediate" for c in NOTIFICATION_CATEGORIES} | {"mode_network": "digest", "digest_hour": "18"}
    assert client.post_form("/meldingen/voorkeuren", prefs).status_code == 302
    auth.client_for(net.world.users["flywheel"]).post_form("/netwerk/vragen/nieuw", {
        "title": "Wie heeft een leerlingenraad?", "scope": str(net.network.id)})
    sweep(datetime(2026, 12, 1, 10, 0))  # 11:00 in Brussels
    to = {m["To"]: m["Subject"] for m in outbox()}
    assert net.b2_flywheel.email not in to  # waits for the digest
    assert "Wie heeft een leerlingenraad?" in to[net.b3_flywheel.email]  # immediate
    sweep(datetime(2026, 12, 1, 17, 30))  # 18:30 in Brussels
    [digest] = [m for m in outbox() if m["To"] == net.b2_flywheel.email]
    assert "Wie heeft een leerlingenraad?" in digest.get_body(("plain",)).get_content()


def test_the_network_page_shows_its_questions_and_library(net, auth):
    QuestionFactory(school=net.b2, author=net.b2_flywheel, title="Netwerkvraag over onthaal")
    LibraryItemFactory(school=net.b3, shared_by=net.b3_director, title="Netwerkpraktijk buddy's")
    page = auth.client_for(net.world.users["flywheel_lead"]).get(f"/netwerken/{net.network.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Netwerkvraag over onthaal" in text and "Netwerkpraktijk buddy&#39;s" in text
    # A forum member of the network sees the network page, but not the platform's section.
    forum_page = auth.client_for(net.b2_forum).get(f"/netwerken/{net.network.id}").get_data(as_text=True)
    assert "Netwerkvraag over onthaal" not in forum_page


def test_a_library_item_carries_files_with_its_own_permissions(net, auth):
    import io

    from tests.files_helpers import PDF_BYTES
    from warmeveranderen.files.models import Attachment

    item = LibraryItemFactory(school=net.b2, shared_by=net.b2_flywheel, title="Onthaalbrochure")
    sharer = auth.client_for(net.b2_flywheel)
    response = sharer.post_form(f"/bijlagen/library_item/{item.id}/toevoegen",
                                {"file": (io.BytesIO(PDF_BYTES), "brochure.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(Attachment)).one()
    page = auth.client_for(net.b3_director).get(f"/kennisbank/{item.id}").get_data(as_text=True)
    assert "brochure.pdf" in page and f"/bijlagen/{attachment.id}" in page
    download = auth.client_for(net.b3_director).get(f"/bijlagen/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    # Another network and forum members do not get it; another school of the network may not add files.
    assert auth.client_for(net.world.users["outsider"]).get(f"/bijlagen/{attachment.id}").status_code == 404
    assert auth.client_for(net.b2_forum).get(f"/bijlagen/{attachment.id}").status_code == 404
    other = auth.client_for(net.b3_flywheel).post_form(f"/bijlagen/library_item/{item.id}/toevoegen",
                                                       {"file": (io.BytesIO(PDF_BYTES), "x.pdf")},
                                                       content_type="multipart/form-data")
    assert other.status_code in (403, 404)
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 1
