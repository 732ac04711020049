"""Correcting the structure (issue 16): a city, network or school created by mistake is renamed, merged
(everything on it moves along) or removed while nothing hangs on it; each with a confirmation step and an
entry in the audit log. And the coordinator's searches: people across the programme, a school to invite into."""

from datetime import date

from tests.factories import LearningNetworkFactory, MembershipFactory, SchoolFactory, WarmCityFactory
from tests.factories_tracking import CoachingSessionFactory
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import AuditEntry, LearningNetwork, Membership, School, WarmCity
from warmeveranderen.tracking.models import CoachingSession


def _audit():
    return [(e.action, e.subject, e.name, e.target) for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_merging_a_typo_school_moves_everything_after_a_confirmation(world, auth):
    right = world.school
    typo = SchoolFactory(name="Warme Schol A", city=right.city, network=right.network)
    director = world.users["director"]
    MembershipFactory(school=typo, user=director, role="director")  # the same role in both: not doubled
    newcomer = MembershipFactory(school=typo, role="flywheel").user
    CoachingSessionFactory(school=typo, held_on=date(2019, 3, 5), advisers=[world.users["adviser"]])
    db.session.commit()
    typo_id = typo.id
    coordinator = auth.client_for(world.users["coordinator"])
    url = f"/programma/opschonen/school/{typo_id}/samenvoegen"

    page = coordinator.get(url).get_data(as_text=True)
    assert "Rollen van mensen: 2" in page and "Begeleidingssessies: 1" in page

    # Choosing the target only asks to confirm; nothing changes yet.
    asked = coordinator.post_form(url, {"target": "warme school a"})
    assert asked.status_code == 200
    assert "Bevestig: Warme Schol A samenvoegen met Warme School A?" in asked.get_data(as_text=True)
    assert db.session.get(School, typo_id) is not None

    done = coordinator.post_form(url, {"target": "Warme School A", "confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(School, typo_id) is None
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id)).where(CoachingSession.school_id == right.id)) == 1
    roles = db.session.execute(db.select(Membership.user_id, Membership.role).where(Membership.school_id == right.id)).all()
    assert (newcomer.id, "flywheel") in roles and roles.count((director.id, "director")) == 1
    assert _audit() == [("merge", "school", "Warme Schol A", "Warme School A")]
    detail = db.session.scalar(db.select(AuditEntry.detail))
    assert sorted(detail.split(", ")) == ["begeleidingssessies: 1", "rollen van mensen: 2"]
    log = coordinator.get("/programma/logboek").get_data(as_text=True)
    assert "Warme Schol A" in log and "samengevoegd" in log


def test_a_school_cannot_be_merged_into_itself_or_an_unknown_one(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    url = f"/programma/opschonen/school/{world.school.id}/samenvoegen"
    assert coordinator.post_form(url, {"target": str(world.school.id), "confirmed": "1"}).status_code == 422
    assert coordinator.post_form(url, {"target": "Bestaat Niet", "confirmed": "1"}).status_code == 422
    assert _audit() == []


def test_merging_a_network_moves_its_schools_and_sessions(world, auth):
    right = world.school.network
    typo = LearningNetworkFactory(name="Lerend netwerk Gnet 1")
    stray = SchoolFactory(name="Verdwaalde School", city=world.school.city, network=typo)
    CoachingSessionFactory(kind="collective", school=None, network=typo, held_on=date(2019, 1, 8), advisers=[])
    db.session.commit()
    typo_id = typo.id
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(f"/programma/opschonen/netwerk/{typo_id}/samenvoegen",
                                     {"target": str(right.id), "confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LearningNetwork, typo_id) is None
    assert db.session.get(School, stray.id).network_id == right.id
    assert db.session.scalar(db.select(CoachingSession.network_id)) == right.id


def test_removing_is_refused_while_something_hangs_on_it(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    city = world.school.city
    page = coordinator.get(f"/programma/opschonen/stad/{city.id}/verwijderen").get_data(as_text=True)
    assert "Scholen: 1" in page and "Samenvoegen" in page
    refused = coordinator.post_form(f"/programma/opschonen/stad/{city.id}/verwijderen", {})
    assert refused.status_code == 422 and "Er hangt nog iets aan: scholen: 1" in refused.get_data(as_text=True)
    assert db.session.get(WarmCity, city.id) is not None and _audit() == []

    empty = WarmCityFactory(name="Zwevegem")
    db.session.commit()
    empty_id = empty.id
    assert "Er hangt niets aan." in coordinator.get(f"/programma/opschonen/stad/{empty.id}/verwijderen").get_data(as_text=True)
    assert coordinator.post_form(f"/programma/opschonen/stad/{empty.id}/verwijderen", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(WarmCity, empty_id) is None
    assert _audit() == [("remove", "city", "Zwevegem", None)]


def test_a_rename_is_logged(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    city = world.school.city
    old = city.name
    assert coordinator.post_form(f"/programma/steden/{city.id}", {"name": "Leuven"}).status_code == 302
    assert coordinator.post_form(f"/programma/steden/{city.id}", {"name": "Leuven"}).status_code == 302  # unchanged
    assert _audit() == [("rename", "city", old, "Leuven")]


def test_people_search_across_the_programme(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get("/programma/mensen?zoek=andere+school").get_data(as_text=True)
    assert "Buitenstaander" in page and "Flywheel Lead" not in page and "Gezocht: andere school." in page
    by_mail = coordinator.get(f"/programma/mensen?zoek={world.users['pupil'].email.upper()}").get_data(as_text=True)
    assert "1 persoon" in by_mail and "Pupil" in by_mail


def test_the_school_search_works_without_javascript_and_suggests_with_it(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get("/programma/mensen?school_zoek=school+b").get_data(as_text=True)
    assert "1 school gevonden" in page and f"/programma/mensen?school={world.other_school.id}" in page
    chosen = coordinator.get(f"/programma/mensen?school={world.other_school.id}").get_data(as_text=True)
    assert 'value="Andere School B"' in chosen and 'list="school-suggestions"' in chosen
    assert 'src="/static/js/school-search.js"' in chosen
    suggestions = coordinator.get("/programma/scholen/suggesties?q=warme").get_json()
    assert [s["name"] for s in suggestions] == ["Warme School A"]
    assert coordinator.get("/programma/scholen/suggesties?q=w").get_json() == []


def test_a_merge_that_would_double_a_once_per_school_record_changes_nothing(world, auth):
    from tests.factories_intake import IntakeAgreementFactory

    typo = SchoolFactory(name="Warme Schol A", city=world.school.city, network=world.school.network)
    IntakeAgreementFactory(school=world.school)
    IntakeAgreementFactory(school=typo)
    MembershipFactory(school=typo, role="flywheel")
    db.session.commit()
    typo_id = typo.id
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form(f"/programma/opschonen/school/{typo_id}/samenvoegen",
                                     {"target": "Warme School A", "confirmed": "1"})
    assert response.status_code == 422
    assert "Samenvoegen kan niet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(School, typo_id) is not None
    assert db.session.scalar(db.select(db.func.count(Membership.id)).where(Membership.school_id == typo_id)) == 1
    assert _audit() == []
