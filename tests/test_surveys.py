"""Surveys (issue 20): anonymous answers without an account, single-use links, the minimum group size
on every page and export, open answers for director and flywheel only, pre -> post per question."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import DateTime, inspect

from tests.factories_surveys import answer, answered_survey, open_survey, own_question
from warmeveranderen.extensions import db
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys.models import Survey, SurveyAnswer, SurveyInvite, SurveyQuestion, SurveyResponse
from warmeveranderen.timeutil import today, utcnow

LINK = re.compile(r"http://localhost(/bevraging/[A-Za-z0-9_\-]+)")


def _answer_page(client, survey_or_path):
    path = survey_or_path if isinstance(survey_or_path, str) else f"/bevraging/{survey_or_path.shared_token}"
    return path, client.get(path)


def _post_answers(client, path, data):
    return client.post(path, data={"csrf_token": client.csrf_token(), **data},
                       headers={"User-Agent": "Spionage-Browser/1.0", "X-Forwarded-For": "203.0.113.77"},
                       environ_base={"REMOTE_ADDR": "198.51.100.23"})


def _likert_data(survey, values):
    questions = queries.questions_to_answer(survey)
    return {f"q{q.id}": str(v) for q, v in zip(questions, values, strict=False) if v is not None}


def test_an_answer_through_the_shared_link_stores_nothing_about_the_person(app, client, world):
    survey = open_survey(world.school)
    path, page = _answer_page(client, survey)
    assert page.status_code == 200
    assert "Anoniem" in page.get_data(as_text=True)
    questions = queries.questions_to_answer(survey)
    open_q = next(q for q in questions if q.kind == "open")
    data = _likert_data(survey, [4, 5, 3])
    data[f"q{open_q.id}"] = "Meer tijd om samen te werken."
    response = _post_answers(client, path, data)
    assert response.status_code == 302 and response.location.endswith("/bevraging/bedankt")

    # Every column of the tables that hold an answer: only the survey, the question and the value.
    columns = {t: {c["name"] for c in inspect(db.engine).get_columns(t)}
               for t in ("survey_responses", "survey_answers", "survey_invites")}
    assert columns["survey_responses"] == {"id", "survey_id"}
    assert columns["survey_answers"] == {"id", "survey_id", "response_id", "question_id", "value", "text"}
    assert columns["survey_invites"] == {"id", "survey_id", "token_hash", "used"}
    for model in (SurveyResponse, SurveyAnswer, SurveyInvite):
        assert not [c for c in model.__table__.columns if isinstance(c.type, DateTime)], model
    # And no stored value anywhere holds the address or the browser the answer came from.
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).all():
            text = " ".join(str(v) for v in row)
            for trace in ("203.0.113.77", "198.51.100.23", "Spionage-Browser"):
                assert trace not in text, (table.name, row)
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).response_count == 1
    assert queries.response_total(survey.id) == 1


def test_single_use_links_work_once_and_the_addresses_are_not_kept(app, auth, world, outbox):
    survey = open_survey(world.school, shared=False, group="Personeel lager")
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/bevragingen/{survey.id}/uitnodigen"
    response = director.post_form(url, {"addresses": "an@example.org\nbert@example.org; an@example.org"})
    assert response.status_code == 302
    mails = outbox()
    assert sorted(m["To"] for m in mails) == ["an@example.org", "bert@example.org"]
    links = [LINK.search(m.get_body(("plain",)).get_content()).group(1) for m in mails]
    assert len(set(links)) == 2
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).all():
            assert "an@example.org" not in " ".join(str(v) for v in row), table.name

    person = app.test_client()
    path, page = _answer_page(person, links[0])
    assert page.status_code == 200
    assert _post_answers(person, path, _likert_data(survey, [4])).status_code == 302
    again = person.get(path)
    assert again.status_code == 410
    assert "al geantwoord" in again.get_data(as_text=True)
    # Another browser with the same link: still only once.
    other = app.test_client()
    assert _post_answers(other, path, _likert_data(survey, [2])).status_code == 410
    # The shared link does not exist for this survey; an unknown link says so.
    assert app.test_client().get("/bevraging/bestaat-niet").status_code == 410
    db.session.expire_all()
    assert queries.response_total(survey.id) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyInvite).where(SurveyInvite.used)) == 1


def test_nothing_is_shown_below_the_minimum_group_size(app, auth, world):
    survey = answered_survey(world.school, answers=[[4, 4], [5, 3], [3, 3], [4, 5]])
    base = f"/scholen/{world.school.id}/bevragingen/{survey.id}"
    for role in ("director", "coordinator", "adviser", "board"):
        client = auth.client_for(world.users[role])
        page = client.get(base).get_data(as_text=True)
        assert "Te weinig antwoorden" in page, role
        assert "Gemiddelde" not in page
        for suffix in ("/resultaten.csv", "/resultaten.xlsx", "/grafiek.svg", "/evolutie.svg"):
            assert client.get(base + suffix).status_code == 404, (role, suffix)
    assert "te weinig antwoorden" in auth.client_for(world.users["director"]).get(
        f"/scholen/{world.school.id}/bevragingen").get_data(as_text=True)

    answer(survey, [2, 4])  # the fifth
    client = auth.client_for(world.users["director"])
    page = client.get(base).get_data(as_text=True)
    assert "Te weinig antwoorden." not in page
    assert "3,6" in page  # (4+5+3+4+2)/5 on the first question
    assert client.get(base + "/grafiek.svg").status_code == 200
    csv = client.get(base + "/resultaten.csv").get_data(as_text=True)
    assert "Ik voel me goed op mijn werk." in csv and "3.6" in csv


def test_a_question_answered_by_fewer_than_the_minimum_shows_nothing(app, world):
    # Six respond; only three answer the second question.
    survey = answered_survey(world.school, answers=[[4, 2], [5, 2], [3, 1], [4], [2], [4]])
    result = queries.results(survey)
    first, second = result.questions[0], result.questions[1]
    assert first.shown and first.counts == [0, 1, 1, 3, 1]
    assert not second.shown and second.counts == [] and second.mean is None
    from warmeveranderen.surveys import exports

    rows = [r for r in exports.rows(result) if r[5] == second.question.id]
    assert len(rows) == 1 and rows[0][10] == "" and "te weinig" in rows[0][9]


def test_open_answers_only_for_director_and_flywheel_with_a_warning(app, auth, world):
    survey = open_survey(world.school)
    questions = queries.questions_to_answer(survey)
    index = next(i for i, q in enumerate(questions) if q.kind == "open")
    for n in range(5):
        values = [4] + [None] * (index - 1) + [f"Antwoord nummer {n}"]
        answer(survey, values)
    url = f"/scholen/{world.school.id}/bevragingen/{survey.id}"
    for role in ("director", "flywheel"):
        page = auth.client_for(world.users[role]).get(url).get_data(as_text=True)
        assert "Antwoord nummer 3" in page and "Neem die nooit over" in page, role
    for role in ("board", "adviser", "coordinator"):
        page = auth.client_for(world.users[role]).get(url).get_data(as_text=True)
        assert "Antwoord nummer 3" not in page, role
    csv = auth.client_for(world.users["director"]).get(url + "/resultaten.csv").get_data(as_text=True)
    assert "Antwoord nummer" not in csv


def test_pre_to_post_per_question_keeps_the_question_when_its_wording_changes(app, auth, world):
    pre = answered_survey(world.school, moment="pre", answers=[[2, 3]] * 5)
    question = queries.questions_to_answer(pre)[0]
    services.edit_question(question, kind="likert", text="Ik voel me goed op school, als personeel.",
                           theme="wellbeing")
    db.session.commit()
    with pytest.raises(services.SurveyError):
        services.edit_question(question, kind="open", text="Iets anders")
    db.session.rollback()
    post = answered_survey(world.school, moment="post", answers=[[4, 3]] * 5)
    client = auth.client_for(world.users["flywheel"])
    page = client.get(f"/scholen/{world.school.id}/bevragingen/{post.id}").get_data(as_text=True)
    assert "Van voormeting naar nameting" in page
    assert "Ik voel me goed op school, als personeel." in page and "+2,0" in page
    assert client.get(f"/scholen/{world.school.id}/bevragingen/{post.id}/evolutie.svg").status_code == 200
    changes = queries.comparison(*queries.pre_and_post(post))
    assert changes[0].question.id == question.id and changes[0].delta == 2


def test_the_shared_link_has_a_maximum_and_a_rate_limit(app, client, world):
    survey = open_survey(world.school, max_responses=2)
    path = f"/bevraging/{survey.shared_token}"
    data = _likert_data(survey, [3])
    assert _post_answers(client, path, data).status_code == 302
    assert _post_answers(client, path, data).status_code == 302
    full = _post_answers(client, path, data)
    assert full.status_code == 422 and "alle antwoorden" in full.get_data(as_text=True)

    other = open_survey(world.school, group="Personeel secundair")
    app.config["SURVEY_LINK_MAX_PER_WINDOW"] = 2
    try:
        path = f"/bevraging/{other.shared_token}"
        data = _likert_data(other, [3])
        assert [_post_answers(client, path, data).status_code for _ in range(3)] == [302, 302, 422]
        db.session.execute(db.update(Survey).where(Survey.id == other.id).values(
            window_started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        assert _post_answers(client, path, data).status_code == 302
    finally:
        app.config["SURVEY_LINK_MAX_PER_WINDOW"] = 60
    db.session.expire_all()
    assert db.session.get(Survey, other.id).response_count == 3


def test_a_closed_survey_takes_no_answers_and_an_empty_answer_is_refused(app, client, world):
    survey = open_survey(world.school)
    path = f"/bevraging/{survey.shared_token}"
    empty = _post_answers(client, path, {})
    assert empty.status_code == 422 and "minstens één vraag" in empty.get_data(as_text=True)
    services.close_survey(survey)
    db.session.commit()
    assert client.get(path).status_code == 410


def test_the_director_opens_a_survey_and_adds_own_questions(app, auth, world):
    client = auth.client_for(world.users["director"])
    base = f"/scholen/{world.school.id}/bevragingen"
    form = client.get(base + "/nieuw")
    assert form.status_code == 200 and "Bevraging openen" in form.get_data(as_text=True)
    from warmeveranderen.tracking.windows import school_year

    data = {"audience": "parents", "group_name": "Ouders", "school_year": school_year(today()), "moment": "pre",
            "closes_on": (today() + timedelta(days=7)).isoformat(), "max_responses": "80", "shared_link": "y"}
    assert client.post_form(base + "/nieuw", {**data, "closes_on": "2001-01-01"}).status_code == 422
    response = client.post_form(base + "/nieuw", data)
    assert response.status_code == 302
    again = client.post_form(base + "/nieuw", data)
    assert again.status_code == 422 and "al een bevraging" in again.get_data(as_text=True)

    for n in range(services.MAX_OWN_QUESTIONS):
        assert client.post_form(base + "/eigen-vragen", {"audience": "parents", "kind": "single",
                                                         "text": f"Eigen vraag {n}",
                                                         "choices": "Ja\nNee"}).status_code == 302
    refused = client.post_form(base + "/eigen-vragen", {"audience": "parents", "kind": "likert", "text": "Eén te veel"})
    assert refused.status_code == 422 and "hoogstens" in refused.get_data(as_text=True)
    survey = db.session.scalar(db.select(Survey).where(Survey.group_name == "Ouders"))
    page = app.test_client().get(f"/bevraging/{survey.shared_token}").get_data(as_text=True)
    assert "Eigen vraag 4" in page and "Ik voel me welkom op school." in page
    # Another school does not get them.
    from tests.factories_surveys import open_survey as open_other

    other = open_other(world.other_school, audience="parents", group="Ouders B")
    assert "Eigen vraag" not in app.test_client().get(f"/bevraging/{other.shared_token}").get_data(as_text=True)


def test_the_coordinator_edits_a_template(app, auth, world):
    client = auth.client_for(world.users["coordinator"])
    assert "Ik voel me goed op mijn werk." in client.get("/programma/bevragingen").get_data(as_text=True)
    response = client.post_form("/programma/bevragingen/staff/vragen", {
        "kind": "multiple", "text": "Waar haal je energie uit?", "choices": "Collega's\nLeerlingen\nOuders",
        "theme": "wellbeing"})
    assert response.status_code == 302
    question = db.session.scalar(db.select(SurveyQuestion).where(SurveyQuestion.text == "Waar haal je energie uit?"))
    assert question.school_id is None and question.choice_list() == ["Collega's", "Leerlingen", "Ouders"]
    bad = client.post_form("/programma/bevragingen/staff/vragen", {"kind": "single", "text": "Eén keuze?",
                                                                    "choices": "Alleen dit"})
    assert bad.status_code == 422 and "minstens twee keuzes" in bad.get_data(as_text=True)
    assert client.post_form(f"/programma/bevragingen/vragen/{question.id}/archiveren").status_code == 302
    survey = open_survey(world.school)
    assert question.id not in {q.id for q in queries.questions_to_answer(survey)}


def test_the_closing_reminder_reaches_the_director_and_the_trekker_once(app, world):
    from datetime import datetime, time

    from warmeveranderen.surveys.jobs import survey_closing

    survey = open_survey(world.school)
    now = datetime.combine(survey.closes_on - timedelta(days=2), time(8))
    with app.test_request_context():
        due = list(survey_closing(now))
    assert sorted(d.recipient.id for d in due) == sorted([world.users["director"].id, world.users["flywheel_lead"].id])
    assert "sluit op" in due[0].title
    with app.test_request_context():
        assert list(survey_closing(now - timedelta(days=5))) == []


def test_the_programme_view_compares_pre_and_post_with_the_same_minimum(app, auth, world):
    from tests.factories import SchoolFactory

    answered_survey(world.school, moment="pre", answers=[[2, 3]] * 5)
    answered_survey(world.school, moment="post", answers=[[4, 3]] * 6)
    small = SchoolFactory(name="Kleine school", network=world.school.network, city=world.school.city)
    answered_survey(small, moment="pre", answers=[[1, 1]] * 4)  # below the minimum: counts nowhere
    year = db.session.scalar(db.select(Survey.school_year))
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get(f"/programma/bevragingen/resultaten?schooljaar={year}&voor=staff").get_data(as_text=True)
    assert "Ik voel me goed op mijn werk." in page
    assert "2,0" in page and "4,0" in page and "+2,0" in page and "1,0" not in page
    # Narrowed to the small school's city alone: its four answers show nothing.
    from warmeveranderen.programme.models import School
    from warmeveranderen.surveys import programme

    found = programme.results(School.id == small.id, year, "staff")
    assert found["rows"] == [] and found["moments"] == {}
    # An adviser of another school sees none of school A's figures.
    from tests.factories import AdviserAssignmentFactory, UserFactory

    other_adviser = UserFactory(is_adviser=True)
    AdviserAssignmentFactory(adviser=other_adviser, school=world.other_school)
    page = auth.client_for(other_adviser).get(f"/programma/bevragingen/resultaten?schooljaar={year}").get_data(
        as_text=True)
    assert "Ik voel me goed op mijn werk." not in page


def test_an_archived_own_question_comes_back_only_within_the_maximum(app, auth, world):
    questions = [own_question(world.school, text=f"Eigen {n}") for n in range(services.MAX_OWN_QUESTIONS)]
    services.set_archived(questions[0], True)
    db.session.commit()
    own_question(world.school, text="Nog een")
    client = auth.client_for(world.users["director"])
    response = client.post_form(f"/scholen/{world.school.id}/bevragingen/eigen-vragen/{questions[0].id}/archiveren")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyQuestion, questions[0].id).archived


def test_the_programme_report_shows_the_survey_results_with_the_same_minimum(app, auth, world):
    from tests.factories import SchoolFactory

    answered_survey(world.school, moment="pre", answers=[[2, 3]] * 5)
    answered_survey(world.school, moment="post", answers=[[4, 3]] * 6)
    small = SchoolFactory(name="Kleine school", network=world.school.network, city=world.school.city)
    answered_survey(small, moment="pre", answers=[[1, 1]] * 4)  # below the minimum: counts nowhere
    year = db.session.scalar(db.select(Survey.school_year))
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get(f"/programma/rapport?schooljaar={year}").get_data(as_text=True)
    section = page.split('id="report-surveys"')[1]
    assert "Ik voel me goed op mijn werk." in section
    assert "2,0" in section and "4,0" in section and "+2,0" in section and "1,0" not in section
    narrowed = coordinator.get(f"/programma/rapport?schooljaar={year}&stad={world.other_school.city_id}")
    assert "Ik voel me goed op mijn werk." not in narrowed.get_data(as_text=True)


def test_the_coordinator_sets_the_minimum_group_size_and_every_page_follows(app, auth, world):
    answered_survey(world.school, moment="pre", answers=[[2, 3]] * 5)
    year = db.session.scalar(db.select(Survey.school_year))
    coordinator = auth.client_for(world.users["coordinator"])
    assert "Ik voel me goed op mijn werk." in coordinator.get(f"/programma/rapport?schooljaar={year}").get_data(
        as_text=True)
    refused = coordinator.post_form("/programma/bevragingen-instellingen",
                                    {"min_responses": "3", "notable_low_share": "25", "clear_fall": "0,5"})
    assert refused.status_code == 422 and 'value="3"' in refused.get_data(as_text=True)
    saved = coordinator.post_form("/programma/bevragingen-instellingen",
                                  {"min_responses": "6", "notable_low_share": "30", "clear_fall": "0,8"})
    assert saved.status_code == 302
    assert queries.settings() == {"min_responses": 6, "notable_low_share": 30, "clear_fall": 0.8}
    # Five answers are now too few: the report, the programme view and the school's page show nothing.
    assert "Ik voel me goed op mijn werk." not in coordinator.get(
        f"/programma/rapport?schooljaar={year}").get_data(as_text=True)
    assert "Ik voel me goed op mijn werk." not in coordinator.get(
        f"/programma/bevragingen/resultaten?schooljaar={year}&voor=staff").get_data(as_text=True)
    director = auth.client_for(world.users["director"])
    survey = db.session.scalar(db.select(Survey))
    page = director.get(f"/scholen/{world.school.id}/bevragingen/{survey.id}").get_data(as_text=True)
    assert "te weinig antwoorden" in page.lower()


def test_a_question_hidden_on_its_school_page_adds_nothing_to_the_programme_figures(app, auth, world):
    """Otherwise two scopes' totals could be subtracted to reveal a group under the minimum."""
    from tests.factories import SchoolFactory
    from warmeveranderen.programme.models import School
    from warmeveranderen.surveys import programme

    answered_survey(world.school, moment="pre", answers=[[3, 1]] * 3 + [[3, None]] * 3)  # q2: 3 respondents
    neighbour = SchoolFactory(name="Buurschool", network=world.school.network, city=world.school.city)
    answered_survey(neighbour, moment="pre", answers=[[4, 5]] * 5)
    year = db.session.scalar(db.select(Survey.school_year))
    found = programme.results(School.id.in_([world.school.id, neighbour.id]), year, "staff")
    by_text = {r.question.text: r for r in found["rows"]}
    first, second = list(by_text.values())[:2]
    assert first.pre_n == 11  # the first question: both schools' groups reached the minimum
    assert second.pre_n == 5 and second.pre_mean == 5.0  # school A's three answers stay out
    page = auth.client_for(world.users["coordinator"]).get(
        f"/programma/bevragingen/resultaten?schooljaar={year}&voor=staff").get_data(as_text=True)
    assert "(n = 8)" not in page and "(n = 5)" in page


def test_a_survey_is_not_reopened_for_more_than_a_year(app, world):
    survey = open_survey(world.school)
    with pytest.raises(services.SurveyError) as refused:
        services.reopen_survey(survey, today() + timedelta(days=400), today())
    assert refused.value.field == "closes_on"
