"""Indicator definitions, ratings and their history, facts next to the form, next steps and milestones."""

from datetime import date, timedelta

import pytest

from tests.factories_tracking import IndicatorRatingFactory, MilestoneFactory
from tests.test_tracking_journey import rating_form
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import parts as hooks
from warmeveranderen.tracking import queries, services
from warmeveranderen.tracking.models import IndicatorDefinition, IndicatorRating, Milestone
from warmeveranderen.tracking.windows import measurement_windows, moment_for, school_year


def test_nine_indicators_from_the_report_on_first_use(app):
    definitions = services.indicators()
    assert [d.number for d in definitions] == list(range(1, 10))
    assert definitions[0].title.startswith("Er is een AMORE-visie")
    assert [label for _code, label in definitions[0].levels] == [
        "Gerealiseerd", "In uitvoering", "Opgestart", "Nog niet gestart"]
    services.indicators()
    assert db.session.scalar(db.select(db.func.count(IndicatorDefinition.id))) == 9


def test_coordinator_edits_an_indicator_and_the_form_uses_it(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    data = {"title": "Er is een gedragen visie", "guidance": "Kijk naar het forum.", "label_realised": "Klaar",
            "label_in_progress": "Bezig", "label_started": "Begonnen", "label_not_started": "Nog niets"}
    assert coordinator.post_form("/programma/indicatoren/1", data).status_code == 302
    page = auth.client_for(world.users["adviser"]).get(f"/scholen/{world.school.id}/indicatoren/scoren")
    text = page.get_data(as_text=True)
    assert "Er is een gedragen visie" in text and "Begonnen" in text
    # Two levels with one label are refused, and what was typed stays.
    response = coordinator.post_form("/programma/indicatoren/2", {**data, "label_started": "Klaar"})
    assert response.status_code == 422
    assert "Geef de vier niveaus elk een ander label." in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.indicator(2).label_started == "Opgestart"
    assert auth.client_for(world.users["adviser"]).post_form("/programma/indicatoren/1", data).status_code == 403


def test_rating_keeps_history_and_latest_is_current(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    earlier = today() - timedelta(days=400)
    assert adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren",
                             rating_form(earlier, ["not_started"] * 9)).status_code == 302
    later = ["started"] + [""] * 8  # only indicator 1 this time
    assert adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren",
                             rating_form(today(), later)).status_code == 302
    db.session.expire_all()
    current = queries.current_ratings(world.school)
    by_number = {services.indicator(n).id: n for n in range(1, 10)}
    levels = {by_number[i]: r.level for i, r in current.items()}
    assert levels[1] == "started" and levels[2] == "not_started"
    history = queries.rating_history(world.school)
    assert [r.level for r in history[services.indicator(1).id]] == ["started", "not_started"]
    page = auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}/indicatoren")
    assert page.status_code == 200 and page.get_data(as_text=True).count("huidig") == 9
    assert auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}/indicatoren").status_code == 403


@pytest.mark.parametrize(("data", "message"), [
    ({"measured_on": ""}, "Kies de datum van het meetmoment."),
    ({"i1-evidence": "javascript:alert(1)"}, "is geen link"),
    ({"measured_on": "2999-06-30"}, "al voorbij is of vandaag is"),
])
def test_rating_refuses_bad_input_and_saves_nothing(world, auth, data, message):
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren", rating_form(today(), **data))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Opmerking bij indicator 1" in page
    assert db.session.scalar(db.select(db.func.count(IndicatorRating.id))) == 0


def test_rating_without_any_level_is_refused(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren", rating_form(today(), [""] * 9))
    assert response.status_code == 422
    assert "Kies voor minstens één indicator een niveau." in response.get_data(as_text=True)


def test_evidence_links_are_kept_and_shown(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    evidence = f"/scholen/{world.school.id}/voortgang\nhttps://example.org/visie.pdf"
    adviser.post_form(f"/scholen/{world.school.id}/indicatoren/scoren", rating_form(today(), **{"i1-evidence": evidence}))
    page = adviser.get(f"/scholen/{world.school.id}/indicatoren").get_data(as_text=True)
    assert 'href="https://example.org/visie.pdf"' in page and f'href="/scholen/{world.school.id}/voortgang"' in page


def test_facts_are_shown_next_to_the_rating_form(world, auth):
    MilestoneFactory(school=world.school, kind="flywheel_composed", happened_on=date(2026, 10, 13))
    page = auth.client_for(world.users["adviser"]).get(f"/scholen/{world.school.id}/indicatoren/scoren")
    text = page.get_data(as_text=True)
    assert "Het vliegwiel telt 2 leden, met Flywheel Lead als trekker; samengesteld op 13 okt 2026." in text


def test_adviser_step_until_rated_this_school_year(world, auth):
    definition = services.indicators()[0]
    IndicatorRatingFactory(school=world.school, indicator=definition, measured_on=today() - timedelta(days=400),
                           school_year=school_year(today() - timedelta(days=400)))
    client = auth.client_for(world.users["adviser"])
    assert f"Scoor de indicatoren voor {world.school.name}" in client.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    IndicatorRatingFactory(school=world.school, indicator=definition, measured_on=today(), school_year=school_year(today()))
    assert "Scoor de indicatoren" not in client.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    # Only the school's advisers get that step.
    assert "Scoor de indicatoren" not in auth.client_for(world.users["director"]).get(
        f"/scholen/{world.school.id}").get_data(as_text=True)


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 9, 15), "Voer de voormeting welbevinden en betrokkenheid in"),
    (date(2027, 4, 20), "Voer de nameting welbevinden en betrokkenheid in"),
    (date(2027, 1, 15), None),
])
def test_wellbeing_step_in_the_measurement_windows(world, app, monkeypatch, day, text):
    monkeypatch.setattr(hooks, "today", lambda: day)
    with app.test_request_context():
        for role in ("director", "flywheel"):
            steps = [s.text for s in hooks.tracking_steps(world.users[role], world.school)]
            assert (text in steps) if text else not any("meting" in s for s in steps)
        assert not any("meting" in s.text for s in hooks.tracking_steps(world.users["forum"], world.school))


def test_measurement_windows():
    assert school_year(date(2026, 8, 31)) == "2025-2026" and school_year(date(2026, 9, 1)) == "2026-2027"
    assert [w.kind for w in measurement_windows(date(2026, 10, 31))] == ["wellbeing_pre"]
    assert [w.kind for w in measurement_windows(date(2027, 5, 15))] == ["wellbeing_post", "indicators"]
    assert measurement_windows(date(2027, 2, 1)) == []
    assert moment_for(date(2026, 9, 1)) == "pre" and moment_for(date(2027, 6, 1)) is None
    assert measurement_windows(date(2027, 6, 30))[0].school_year == "2026-2027"


def test_milestones_replace_once_and_repeat_evaluations(world, auth):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/mijlpalen"
    for kind, day in [("intake", "2024-09-01"), ("intake", "2024-09-08"), ("evaluation", "2025-06-01"),
                      ("evaluation", "2026-06-01")]:
        assert director.post_form(url, {"kind": kind, "happened_on": day}).status_code == 302
    db.session.expire_all()
    rows = queries.milestones(world.school)
    assert [(m.kind, m.happened_on.isoformat()) for m in rows] == [
        ("intake", "2024-09-08"), ("evaluation", "2025-06-01"), ("evaluation", "2026-06-01")]
    response = director.post_form(url, {"kind": "nonsense", "happened_on": "2026-09-08"})
    assert response.status_code == 422
    page = auth.client_for(world.users["pupil"]).get(f"/scholen/{world.school.id}/voortgang").get_data(as_text=True)
    assert "Intake — 8 sep 2024" in page
    assert auth.client_for(world.users["flywheel"]).post_form(url, {"kind": "intake", "happened_on": "2026-09-01"}
                                                              ).status_code == 403
    director.post_form(f"{url}/{rows[0].id}/verwijderen")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 2
