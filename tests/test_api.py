"""The REST API: personal tokens, the same permissions as the pages, problem documents, cursor pages,
ETags, the rate limit, and writes through the services."""

import pytest

from tests.factories_forum import AdviceRoundFactory, DecisionFactory
from warmeveranderen.accounts import api_tokens
from warmeveranderen.accounts.api_tokens import ApiToken
from warmeveranderen.api import auth as api_auth
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea


@pytest.fixture(autouse=True)
def _fresh_limits():
    api_auth.reset_limits()


def _token(user, scope="read") -> dict:
    _token, secret = api_tokens.create(db.session.merge(user), "test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_reads_its_schools_decisions_and_another_schools_token_gets_404(client, world):
    decision = DecisionFactory(round=AdviceRoundFactory(school=world.school), reasons="We starten in januari.")
    mine = client.get(f"/api/v1/schools/{world.school.id}/decisions", headers=_token(world.users["forum"]))
    assert mine.status_code == 200
    [item] = mine.json["items"]
    assert item["id"] == decision.id and item["reasons"] == "We starten in januari." and mine.json["next_cursor"] is None

    other = client.get(f"/api/v1/schools/{world.school.id}/decisions", headers=_token(world.users["outsider"]))
    assert other.status_code == 404 and other.mimetype == "application/problem+json"
    assert other.json["status"] == 404 and other.json["title"] == "Not Found"
    listed = client.get("/api/v1/schools", headers=_token(world.users["outsider"])).json["items"]
    assert [s["id"] for s in listed] == [world.other_school.id]


def test_no_token_a_bad_token_and_the_session_cookie_are_all_401(client, world, auth):
    assert client.get("/api/v1/schools").status_code == 401
    bad = client.get("/api/v1/schools", headers={"Authorization": "Bearer wv_nietechtnietecht"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    auth.login(client, world.users["director"].email)
    assert client.get("/api/v1/schools").status_code == 401  # a browser's cookie never authenticates the API


def test_a_write_token_creates_an_idea_and_a_read_token_may_not(client, world):
    url = f"/api/v1/schools/{world.school.id}/ideas"
    refused = client.post(url, json={"title": "Bankjes op de speelplaats"}, headers=_token(world.users["pupil"]))
    assert refused.status_code == 403 and "alleen lezen" in refused.json["detail"]
    created = client.post(url, json={"title": "Bankjes op de speelplaats", "body": "Om samen te zitten."},
                          headers=_token(world.users["pupil"], "write"))
    assert created.status_code == 201 and created.json["state"] == "open"
    idea = db.session.get(Idea, created.json["id"])
    assert idea.author_id == world.users["pupil"].id and idea.school_id == world.school.id
    page = client.get(f"/scholen/{world.school.id}/ideeen")  # anonymous: login page, the idea is in the box
    assert page.status_code == 302


def test_bad_input_is_a_problem_document_with_the_reasons(client, world):
    url = f"/api/v1/schools/{world.school.id}/initiatives"
    headers = _token(world.users["flywheel"], "write")
    response = client.post(url, json={"title": "x" * 201, "building_block": "nonsense"}, headers=headers)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(response.json["errors"]["json"]) == {"title", "building_block"}
    assert client.post(url, data="{niet json", headers={**headers, "Content-Type": "application/json"}).status_code in (400, 422)


def test_cursor_pages_follow_the_link_header(client, world):
    for n in range(5):
        db.session.add(Idea(school_id=world.school.id, title=f"Idee {n}", body=""))
    db.session.commit()
    headers = _token(world.users["director"])
    first = client.get(f"/api/v1/schools/{world.school.id}/ideas?limit=2", headers=headers)
    assert [i["title"] for i in first.json["items"]] == ["Idee 0", "Idee 1"]
    assert 'rel="next"' in first.headers["Link"]
    titles = []
    url = f"/api/v1/schools/{world.school.id}/ideas?limit=2"
    while url:
        page = client.get(url, headers=headers)
        titles += [i["title"] for i in page.json["items"]]
        url = page.headers.get("Link", "").split(">")[0].lstrip("<").replace("http://localhost", "") or None
    assert titles == [f"Idee {n}" for n in range(5)]
    assert client.get(f"/api/v1/schools/{world.school.id}/ideas?cursor=!!", headers=headers).status_code == 422


def test_etags_answer_304_until_something_changes(client, world):
    headers = _token(world.users["director"])
    url = f"/api/v1/schools/{world.school.id}/ideas"
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
    db.session.add(Idea(school_id=world.school.id, title="Nieuw", body=""))
    db.session.commit()
    assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 200


def test_the_rate_limit_answers_429_with_retry_after(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    headers = _token(world.users["director"])
    statuses = [client.get("/api/v1/schools", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/schools", headers=headers)
    assert int(limited.headers["Retry-After"]) >= 1


def test_tokens_are_made_on_the_profile_shown_once_stored_hashed_and_revoked(client, world, auth):
    auth.login(client, world.users["director"].email)
    response = client.post_form("/profiel/api-sleutels", {"tok-name": "Dashboard", "tok-scope": "read"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    secret = page.split('user-select-all text-break">')[1].split("<")[0]
    token = db.session.scalar(db.select(ApiToken))
    assert secret.startswith("wv_") and secret not in token.token_hash and token.prefix == secret[:9]
    assert secret not in client.get("/profiel").get_data(as_text=True)  # never shown again
    api = client.application.test_client()
    assert api.get("/api/v1/schools", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    client.post_form(f"/profiel/api-sleutels/{token.id}/intrekken", {})
    assert api.get("/api/v1/schools", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    empty = client.post_form("/profiel/api-sleutels", {"tok-name": "", "tok-scope": "read"})
    assert empty.status_code == 422


def test_the_openapi_description_is_served_and_names_every_route(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "/api/v1/schools/{school_id}/decisions" in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/schools/{school_id}/ideas"]


def test_a_write_token_records_a_task_and_another_school_gets_404(client, world):
    from tests.factories_sprints import InitiativeFactory
    from warmeveranderen.actionplan.models import Task

    initiative = InitiativeFactory(school=world.school, title="Leesbevordering")
    url = f"/api/v1/initiatives/{initiative.id}/tasks"
    made = client.post(url, json={"title": "Boekenkast bestellen", "due_date": "2026-12-18"},
                       headers=_token(world.users["flywheel"], "write"))
    assert made.status_code == 201 and made.json["due_date"] == "2026-12-18"
    assert db.session.get(Task, made.json["id"]).initiative_id == initiative.id
    listed = client.get(url, headers=_token(world.users["pupil"]))
    assert [t["title"] for t in listed.json["items"]] == ["Boekenkast bestellen"]
    assert client.get(url, headers=_token(world.users["outsider"])).status_code == 404
    assert client.post(url, json={"title": "x"}, headers=_token(world.users["pupil"], "write")).status_code == 403


def test_a_refusal_of_the_service_is_a_422_problem_with_its_dutch_reason_and_nothing_is_saved(client, world):
    from tests.factories_sprints import InitiativeFactory
    from warmeveranderen.actionplan.models import Task
    from warmeveranderen.actionplan.services import MAX_TASKS

    initiative = InitiativeFactory(school=world.school)
    db.session.add_all([Task(initiative_id=initiative.id, school_id=world.school.id, title=f"T{n}")
                        for n in range(MAX_TASKS)])
    db.session.commit()
    refused = client.post(f"/api/v1/initiatives/{initiative.id}/tasks", json={"title": "Nog een"},
                          headers=_token(world.users["flywheel"], "write"))
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "hoogstens" in refused.json["detail"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Task)) == MAX_TASKS
