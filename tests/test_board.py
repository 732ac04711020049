"""The board by hand: labels per school, filters and swimlanes, moves and the order within a column as the
script posts them (JSON) next to the no-JavaScript forms, and the npm library served from node_modules."""

import pytest

from tests.factories_sprints import InitiativeFactory, SprintFactory
from warmeveranderen.core import vendor
from warmeveranderen.extensions import cache, db
from warmeveranderen.sprints.models import Initiative, InitiativeEvent, Label

JSON = {"Accept": "application/json"}


@pytest.fixture
def board(world):
    """A running sprint of school A with three cards: two owners, three building blocks, one label."""
    school = world.school
    sprint = SprintFactory(school=school, state="active")
    welcome = Label(school_id=school.id, name="Onthaal", colour="green")
    db.session.add(welcome)
    db.session.flush()
    a = InitiativeFactory(school=school, sprint=sprint, status="planned", title="Warm onthaal", building_block="culture",
                          owner=world.users["flywheel"], labels=[welcome])
    b = InitiativeFactory(school=school, sprint=sprint, status="planned", title="Leerlingenraad", building_block="structure",
                          owner=world.users["flywheel_lead"])
    c = InitiativeFactory(school=school, sprint=sprint, status="in_progress", title="Oudercafé", building_block="people",
                          needs_advice=True)
    db.session.commit()
    return sprint, welcome, (a.id, b.id, c.id)


def _client(app, auth, world, role="flywheel"):
    client = app.test_client()
    auth.login(client, world.users[role].email)
    return client


def _titles(html: str, titles) -> list[str]:
    return [t for t in titles if t in html]


ALL = ("Warm onthaal", "Leerlingenraad", "Oudercafé")


def test_filters_by_owner_block_and_label(app, auth, world, board):
    sprint, welcome, _ids = board
    client = _client(app, auth, world, "forum")
    page = client.get(f"/sprints/{sprint.id}/bord").get_data(as_text=True)
    assert _titles(page, ALL) == list(ALL)
    owner = world.users["flywheel_lead"].id
    page = client.get(f"/sprints/{sprint.id}/bord?eigenaar={owner}").get_data(as_text=True)
    assert _titles(page, ALL) == ["Leerlingenraad"] and "2 kaarten verborgen door de filters." in page
    page = client.get(f"/sprints/{sprint.id}/bord?bouwsteen=people").get_data(as_text=True)
    assert _titles(page, ALL) == ["Oudercafé"]
    page = client.get(f"/sprints/{sprint.id}/bord?label={welcome.id}").get_data(as_text=True)
    assert _titles(page, ALL) == ["Warm onthaal"]
    # Unknown values are ignored rather than emptying the board.
    page = client.get(f"/sprints/{sprint.id}/bord?label=999999&bouwsteen=x&eigenaar=abc").get_data(as_text=True)
    assert _titles(page, ALL) == list(ALL)
    # A forum member reads: no forms, no script.
    assert "class=\"d-flex flex-wrap gap-1 board-move\"" not in page and "board.js" not in page


def test_swimlanes_group_the_cards_by_building_block(app, auth, world, board):
    sprint, _welcome, _ids = board
    page = _client(app, auth, world).get(f"/sprints/{sprint.id}/bord?banen=bouwsteen").get_data(as_text=True)
    for block in ("Structuur", "Mens", "Cultuur"):
        assert 'class="h5 board-lane-title"' in page and block in page
    lane = page.index('id="lane-structure"')
    assert lane < page.index("Leerlingenraad") < page.index('id="lane-people"') < page.index("Oudercafé")
    assert 'data-lane="structure"' in page


def test_a_drag_moves_the_card_through_the_same_rules(app, auth, world, board):
    sprint, _welcome, (a, _b, c) = board
    client = _client(app, auth, world)
    response = client.post_form(f"/initiatieven/{a}/status", {"status": "in_progress"}, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert data["ok"] and data["status"] == "in_progress"
    assert ["ready_for_forum", "Klaar voor het forum"] in data["allowed"]
    assert data["moved"].startswith("Verplaatst door Flywheel op ")
    assert db.session.get(Initiative, a).status == "in_progress"
    # Refused: an initiative that changes the school is not done before the forum's decision.
    response = client.post_form(f"/initiatieven/{c}/status", {"status": "done"}, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert not data["ok"] and "forum" in data["message"] and data["status"] == "in_progress"
    db.session.expire_all()
    assert db.session.get(Initiative, c).status == "in_progress"
    assert db.session.scalar(db.select(db.func.count()).select_from(InitiativeEvent)
                             .where(InitiativeEvent.initiative_id == c, InitiativeEvent.to_status == "done")) == 0
    # The form without JavaScript still redirects back to the board with a message.
    response = client.post_form(f"/initiatieven/{c}/status", {"status": "done", "next": f"/sprints/{sprint.id}/bord"})
    assert response.status_code == 302 and response.location.endswith(f"/sprints/{sprint.id}/bord")


def test_the_order_within_a_column_is_kept(app, auth, world, board):
    sprint, _welcome, (a, b, _c) = board
    client = _client(app, auth, world, "director")
    response = client.post_form(f"/sprints/{sprint.id}/bord/volgorde", {"ids": [b, a]}, headers=JSON)
    assert response.status_code == 200 and response.get_json()["ok"]
    db.session.expire_all()
    assert db.session.get(Initiative, b).position < db.session.get(Initiative, a).position
    page = client.get(f"/sprints/{sprint.id}/bord").get_data(as_text=True)
    assert page.index("Leerlingenraad") < page.index("Warm onthaal")
    # A card of another sprint (or school) is refused, nothing changes.
    stranger = InitiativeFactory(school=world.other_school, status="idea")
    db.session.commit()
    response = client.post_form(f"/sprints/{sprint.id}/bord/volgorde", {"ids": [a, stranger.id]}, headers=JSON)
    assert not response.get_json()["ok"] and "gewijzigd" in response.get_json()["message"]
    response = client.post_form(f"/sprints/{sprint.id}/bord/volgorde", {"ids": ["x"]}, headers=JSON)
    assert response.status_code == 200 and not response.get_json()["ok"]


def test_a_closed_sprint_keeps_its_order(app, auth, world, board):
    sprint, _welcome, (a, b, _c) = board
    sprint.state = "closed"
    db.session.commit()
    response = _client(app, auth, world).post_form(f"/sprints/{sprint.id}/bord/volgorde", {"ids": [b, a]}, headers=JSON)
    assert not response.get_json()["ok"] and "afgesloten" in response.get_json()["message"]


def test_labels_are_the_schools_own_vocabulary(app, auth, world, board):
    _sprint, welcome, (a, _b, _c) = board
    client = _client(app, auth, world, "director")
    response = client.post_form(f"/scholen/{world.school.id}/labels", {"name": "Ouders", "colour": "purple"})
    assert response.status_code == 302
    parents = db.session.scalar(db.select(Label).where(Label.name == "Ouders"))
    assert parents.school_id == world.school.id and parents.colour == "purple"
    # The same name again (any case) is refused on the form, with what was typed.
    response = client.post_form(f"/scholen/{world.school.id}/labels", {"name": "ouders", "colour": "blue"})
    assert response.status_code == 422 and "al een label" in response.get_data(as_text=True)
    response = client.post_form(f"/scholen/{world.school.id}/labels", {"name": "x" * 41, "colour": "blue"})
    assert response.status_code == 422
    response = client.post_form(f"/scholen/{world.school.id}/labels", {"name": "Kleur", "colour": "pink"})
    assert response.status_code == 422
    # Put on an initiative through its form; a label of another school is refused.
    other = Label(school_id=world.other_school.id, name="Elders", colour="red")
    db.session.add(other)
    db.session.commit()
    form = {"title": "Warm onthaal", "building_block": "culture", "needs_advice": "y"}
    response = client.post_form(f"/initiatieven/{a}/bewerken", {**form, "labels": [welcome.id, parents.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert {lab.name for lab in db.session.get(Initiative, a).labels} == {"Onthaal", "Ouders"}
    response = client.post_form(f"/initiatieven/{a}/bewerken", {**form, "labels": [other.id]})
    assert response.status_code == 422
    page = client.get(f"/initiatieven/{a}").get_data(as_text=True)
    assert "wv-label-purple" in page and "Ouders" in page
    # Renamed, then removed: the initiative simply loses it.
    assert client.post_form(f"/labels/{parents.id}", {"name": "Ouderraad", "colour": "blue"}).status_code == 302
    assert client.post_form(f"/labels/{parents.id}/verwijderen").status_code == 302
    db.session.expire_all()
    assert [lab.name for lab in db.session.get(Initiative, a).labels] == ["Onthaal"]


def test_sortable_is_served_from_node_modules_or_left_out(app, auth, world, board, monkeypatch, tmp_path):
    sprint, _welcome, _ids = board
    client = _client(app, auth, world)
    assert client.get("/vendor/niet-bestaand.js").status_code == 404
    installed = vendor._path("sortable.min.js") is not None
    page = client.get(f"/sprints/{sprint.id}/bord").get_data(as_text=True)
    assert ("/vendor/sortable.min.js" in page) == installed
    assert "js/board.js" in page and "board-move\"" in page
    if installed:
        response = client.get("/vendor/sortable.min.js")
        assert response.status_code == 200 and b"Sortable" in response.data
        assert response.mimetype in ("text/javascript", "application/javascript")
    # Without npm (no node_modules): no script tag, the form remains, and the file is a 404.
    monkeypatch.setattr(vendor, "NODE_MODULES", tmp_path)
    cache.clear()  # the board as rendered with the script is kept (a deploy-time fact, stable in production)
    page = client.get(f"/sprints/{sprint.id}/bord").get_data(as_text=True)
    assert "/vendor/sortable.min.js" not in page and "board-move\"" in page
    assert client.get("/vendor/sortable.min.js").status_code == 404
