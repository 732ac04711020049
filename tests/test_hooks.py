"""The features connected: their sections on the progress page, stall checks, indicator facts,
the adviser's to-do on the home page, and the forum's rounds on an initiative's page."""

from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import AdviserAssignmentFactory, SchoolFactory
from tests.factories_forum import AdviceFactory, AdviceRoundFactory, DecisionFactory, ForumSessionFactory
from tests.factories_intake import make_agreement
from tests.factories_sprints import CheckpointFactory, InitiativeFactory, SprintCalendarFactory
from tests.factories_tracking import IndicatorRatingFactory
from tests.factories_vision import AmoreScoreFactory, EndorsementFactory, VisionFactory, VisionVersionFactory
from tests.test_queries import counting
from warmeveranderen.extensions import db
from warmeveranderen.forum.parts import no_forum_in_sprint
from warmeveranderen.intake.services import open_intake
from warmeveranderen.parts import facts_for, stall_flags
from warmeveranderen.sprints import cadence as sprint_cadence
from warmeveranderen.sprints.models import FlywheelMeeting, Sprint
from warmeveranderen.sprints.parts import kept_cadence, no_sprint_closed
from warmeveranderen.timeutil import today, utcnow
from warmeveranderen.tracking.services import indicators
from warmeveranderen.tracking.windows import school_year


def cadence(school, weeks_ago: int) -> list[Sprint]:
    """A sprint calendar that started `weeks_ago` weeks ago (on a Monday), with its sprints."""
    start = today() - timedelta(weeks=weeks_ago, days=today().weekday())
    SprintCalendarFactory(school=school, start_date=start)
    sprint_cadence.ensure_sprints(school)
    db.session.commit()
    return list(db.session.scalars(select(Sprint).where(Sprint.school_id == school.id).order_by(Sprint.number)))


def close(sprint: Sprint, days_ago: int = 0, both_checkpoints: bool = True) -> None:
    sprint.state = "closed"
    sprint.closed_at = utcnow() - timedelta(days=days_ago)
    if both_checkpoints:
        CheckpointFactory(sprint=sprint, kind="start", held_on=sprint.start_date)
        CheckpointFactory(sprint=sprint, kind="pre_forum", held_on=sprint.end_date)
    db.session.commit()


def meeting(sprint: Sprint, held_on) -> None:
    db.session.add(FlywheelMeeting(school_id=sprint.school_id, sprint_id=sprint.id, held_on=held_on))
    db.session.commit()


def progress(auth, user, school) -> str:
    response = auth.client_for(user).get(f"/scholen/{school.id}/voortgang")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the progress page ---------------------------------------------------------------------------


def test_progress_page_shows_agreement_sprints_and_forum(world, auth):
    make_agreement(world, "active")
    sprint1, sprint2, *_ = cadence(world.school, weeks_ago=12)
    InitiativeFactory(school=world.school, sprint=sprint1, building_block="structure", secondary_block="people")
    close(sprint1, days_ago=10)
    advice_round = AdviceRoundFactory(school=world.school, subject_title="Warm onthaal",
                                      deadline=utcnow() - timedelta(days=1))
    AdviceFactory(round=advice_round, author=world.users["forum"], stakeholder_group="parent", stance="objection")
    AdviceFactory(round=advice_round, author=world.users["pupil"], stakeholder_group="pupil", stance="support")
    DecisionFactory(round=advice_round, outcome="adjust")
    ForumSessionFactory(school=world.school, sprint=sprint1, starts_at=utcnow() - timedelta(days=20))

    page = progress(auth, world.users["director"], world.school)
    # The agreement: state, signatures and evaluation moments.
    assert "Intakeovereenkomst" in page and "Evaluatiemomenten" in page
    assert world.users["board"].name in page and "1 juni 2027" in page
    # The sprints with their coverage and the last closed one.
    assert "Laatst afgesloten: sprint 1" in page
    assert "Sprints en de bouwstenen die hun initiatieven raken" in page and "2 / 5" in page
    # The forum's activity.
    assert "1 bijeenkomst gehouden" in page and "1 adviesronde" in page
    assert "Adviezen per stakeholdergroep" in page and "Leerlingen" in page and "Ouders" in page
    assert "Warm onthaal" in page and "Bijsturen" in page


def test_progress_page_of_a_school_without_any_data(world, auth):
    page = progress(auth, world.users["forum"], world.school)
    assert "Nog geen intakeovereenkomst." in page
    assert "Er is nog geen sprint begonnen." in page
    assert "Nog geen besluiten." in page


def test_forum_member_does_not_see_unshared_signatures(world, auth):
    make_agreement(world, "active")
    page = progress(auth, world.users["forum"], world.school)
    assert "Intakeovereenkomst" in page and "Handtekeningen" not in page
    assert "Handtekeningen" in progress(auth, world.users["director"], world.school)


def test_progress_page_query_count_does_not_grow(world, auth):
    make_agreement(world, "active")
    all_sprints = cadence(world.school, weeks_ago=30)
    client = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/voortgang"

    def grow(per_sprint: int) -> int:
        for sprint in all_sprints[:3]:
            for _n in range(per_sprint):
                InitiativeFactory(school=world.school, sprint=sprint)
                r = AdviceRoundFactory(school=world.school, deadline=utcnow() - timedelta(days=1))
                AdviceFactory(round=r, author=world.users["forum"])
                DecisionFactory(round=r)
            ForumSessionFactory(school=world.school, sprint=sprint, starts_at=utcnow() - timedelta(days=3))
            meeting(sprint, sprint.start_date + timedelta(days=per_sprint))
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert grow(1) == grow(10)


# --- stall checks ----------------------------------------------------------------------------------


def test_no_sprint_closed_in_twelve_weeks(world):
    school, recent, fresh = world.school, SchoolFactory(), SchoolFactory()
    cadence(school, weeks_ago=25)
    close(cadence(recent, weeks_ago=25)[0], days_ago=30)
    cadence(fresh, weeks_ago=4)  # started too recently to stall
    schools = [school, recent, fresh, world.other_school]  # the other school has no cadence at all
    assert no_sprint_closed(schools) == {school.id: ["Geen sprint afgesloten in 12 weken"]}


def test_no_forum_in_current_or_last_sprint(world):
    quiet, with_session, with_round, first = world.school, SchoolFactory(), SchoolFactory(), SchoolFactory()
    cadence(quiet, weeks_ago=12)
    previous = cadence(with_session, weeks_ago=12)[0]
    ForumSessionFactory(school=with_session, sprint=previous)
    cadence(with_round, weeks_ago=12)
    AdviceRoundFactory(school=with_round)  # opened today, in the current sprint
    cadence(first, weeks_ago=2)  # still in its first sprint
    flags = no_forum_in_sprint([quiet, with_session, with_round, first])
    assert flags == {quiet.id: ["Geen forum in de huidige of vorige sprint"]}


def test_stall_checks_use_a_fixed_number_of_queries(world):
    def run(n: int) -> int:
        schools = [SchoolFactory() for _ in range(n)]
        for s in schools:
            cadence(s, weeks_ago=25)
        for s in schools:
            db.session.refresh(s)  # loaded, as the programme page loads its schools
        with counting() as statements:
            flags = stall_flags(schools)
        assert all("Geen sprint afgesloten in 12 weken" in flags[s.id] for s in schools)
        return len(statements)

    assert run(2) == run(12)


def test_programme_page_flags_stalling_schools(world, auth):
    cadence(world.school, weeks_ago=25)
    page = auth.client_for(world.users["adviser"]).get("/programma/opvolging").get_data(as_text=True)
    assert "Geen sprint afgesloten in 12 weken" in page
    assert "Geen forum in de huidige of vorige sprint" in page


# --- indicator facts ------------------------------------------------------------------------------


def test_indicator_nine_fact_counts_closed_sprints_with_both_checkpoints(world, auth):
    assert kept_cadence(world.school) is None
    s1, s2, s3, *_ = cadence(world.school, weeks_ago=25)
    close(s1, days_ago=80)
    close(s2, days_ago=10, both_checkpoints=False)
    for day in (0, 12, 24):
        meeting(s3, s3.start_date + timedelta(days=day))
    text = kept_cadence(world.school)
    assert text == "1 van 2 sprints afgesloten met beide afstemmingen; het vliegwiel kwam gemiddeld om de 12 dagen samen."
    assert text in facts_for(world.school)[9]
    form = auth.client_for(world.users["adviser"]).get(f"/scholen/{world.school.id}/indicatoren/scoren")
    assert "1 van 2 sprints afgesloten met beide afstemmingen" in form.get_data(as_text=True)


# --- the adviser's to-do ----------------------------------------------------------------------------


def test_adviser_todo_lists_unrated_schools_drafts_and_open_rounds(world, auth):
    rated = SchoolFactory(name="Gescoorde School", network=world.school.network)
    AdviserAssignmentFactory(adviser=world.users["adviser"], school=rated)
    IndicatorRatingFactory(school=rated, school_year=school_year(today()), indicator=indicators()[0])
    make_agreement(world, "draft")
    AdviceRoundFactory(school=world.school, subject_title="Rustige speelplaats")
    AdviceRoundFactory(school=world.school, subject_title="Gesloten ronde", deadline=utcnow() - timedelta(days=1))
    AdviceRoundFactory(school=world.other_school, subject_title="Ronde van een andere school")
    page = auth.client_for(world.users["adviser"]).get("/").get_data(as_text=True)
    todo = page.split('id="adviser-todo-heading"')[1].split("</section>")[0]
    assert "Indicatoren nog niet gescoord dit schooljaar" in todo
    assert f'/scholen/{world.school.id}/indicatoren/scoren' in todo
    assert f'/scholen/{rated.id}/indicatoren/scoren' not in todo
    assert "Intake in concept om te vervolledigen" in todo and f"/scholen/{world.school.id}/intake" in todo
    assert "Rustige speelplaats" in todo
    assert "Gesloten ronde" not in todo and "Ronde van een andere school" not in todo


def test_adviser_sees_steps_only_for_schools_with_a_membership(world, auth):
    page = auth.client_for(world.users["adviser"]).get("/").get_data(as_text=True)
    # No role in the advised school: no per-school next steps, the to-do instead.
    assert "Scoor de indicatoren voor" not in page
    assert "Te doen in je scholen" in page


def test_adviser_home_query_count_with_5_and_50_advised_schools(world, auth):
    adviser = world.users["adviser"]
    client = auth.client_for(adviser)

    def advise(total: int) -> int:
        while len(adviser.adviser_assignments) < total:
            school = SchoolFactory(network=world.school.network, city=world.school.city)
            AdviserAssignmentFactory(adviser=adviser, school=school)
            AdviceRoundFactory(school=school)
            open_intake(school, adviser)
            db.session.refresh(adviser)
        client.get("/")
        with counting() as statements:
            page = client.get("/").get_data(as_text=True)
        assert page.count("/indicatoren/scoren") >= total
        return len(statements)

    assert advise(5) == advise(50)


# --- the forum on an initiative's page ------------------------------------------------------------------


def test_initiative_page_links_its_rounds_and_shows_the_decision(world, auth):
    initiative = InitiativeFactory(school=world.school, title="Buddywerking")
    advice_round = AdviceRoundFactory(school=world.school, subject_kind="initiative", subject_id=initiative.id,
                                      subject_title=initiative.title, deadline=utcnow() - timedelta(days=2))
    AdviceFactory(round=advice_round, author=world.users["forum"])
    DecisionFactory(round=advice_round, outcome="postpone", reasons="Eerst de **planning** rond.")
    page = auth.client_for(world.users["forum"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert f"/scholen/{world.school.id}/forum/rondes/{advice_round.id}" in page
    assert "Besluit:" in page and "Uitstellen" in page and "<strong>planning</strong>" in page

    other = InitiativeFactory(school=world.school, title="Nog niet voorgelegd")
    page = auth.client_for(world.users["forum"]).get(f"/initiatieven/{other.id}").get_data(as_text=True)
    assert "Nog niet aan het forum voorgelegd." in page


# --- the vision ------------------------------------------------------------------------------------------


def test_progress_page_shows_the_endorsed_vision_and_a_newer_version(world, auth):
    vision = VisionFactory(school=world.school)
    first = VisionVersionFactory(vision=vision, number=1)
    EndorsementFactory(version=first, groups=["parent", "pupil"], endorsed_on=date(2026, 10, 5))
    second = VisionVersionFactory(vision=vision, number=2)
    AmoreScoreFactory(version=second, user=world.users["forum"], distinctive=2)
    page = progress(auth, world.users["forum"], world.school)
    assert "Huidige visie: versie 1, afgeklopt door Ouders, Leerlingen op 5 okt 2026." in page
    assert "Versie 2, gepubliceerd op" in page and "is nog niet afgeklopt" in page
    assert "1 score, zwakste criterium: Onderscheidend" in page
    assert f"/scholen/{world.school.id}/visie/versies/1" in page


def test_indicator_one_fact_is_the_endorsed_vision(world, auth):
    from warmeveranderen.vision.parts import endorsed_vision

    assert endorsed_vision(world.school) is None
    version = VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    EndorsementFactory(version=version, groups=["staff", "parent"], endorsed_on=date(2026, 10, 5))
    text = "Visie versie 1 afgeklopt door Leerkrachten en personeel, Ouders op 5 okt 2026."
    assert endorsed_vision(world.school) == text
    form = auth.client_for(world.users["adviser"]).get(f"/scholen/{world.school.id}/indicatoren/scoren")
    assert text in form.get_data(as_text=True)


def test_vision_version_page_shows_its_round_and_decision(world, auth):
    version = VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    advice_round = AdviceRoundFactory(school=world.school, subject_kind="vision_version", subject_id=version.id,
                                      subject_title="Visie, versie 1", deadline=utcnow() - timedelta(days=1))
    DecisionFactory(round=advice_round, outcome="adopt")
    page = auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}/visie/versies/1")
    text = page.get_data(as_text=True)
    assert f"/scholen/{world.school.id}/forum/rondes/{advice_round.id}" in text and "Aannemen" in text
