"""The school's search: initiatives, ideas, decisions and minutes of one school, for the people who may see
that school, with highlighted snippets. Runs on SQLite (LIKE) and, with WARMEVERANDEREN_TEST_DATABASE_URL, on
PostgreSQL (Dutch full text, its GIN indexes)."""

import pytest
from sqlalchemy import event

from tests.factories_forum import AdviceRoundFactory, DecisionFactory, ForumSessionFactory
from tests.factories_ideas import IdeaFactory
from tests.factories_sprints import InitiativeFactory
from warmeveranderen.extensions import db
from warmeveranderen.fulltext import Search
from warmeveranderen.timeutil import utcnow


@pytest.fixture
def content(world):
    """The same words in school A and in school B; minutes recorded and not yet recorded."""
    for school, tag in ((world.school, "A"), (world.other_school, "B")):
        InitiativeFactory(school=school, title=f"Warm onthaal aan de schoolpoort {tag}",
                          description="Elke ochtend begroeten leraren de leerlingen aan de poort.")
        IdeaFactory(school=school, title=f"Moestuin {tag}", body="Een moestuin op de speelplaats voor het onthaal.")
        advice_round = AdviceRoundFactory(school=school, subject_title=f"Gsm-vrije speelplaats {tag}")
        DecisionFactory(round=advice_round, reasons="Het forum steunt het; we evalueren het onthaal na drie maanden.")
        ForumSessionFactory(school=school, starts_at=utcnow(), minutes_summary="We spraken over het onthaal van nieuwe ouders.",
                            minutes_recorded_at=utcnow())
        ForumSessionFactory(school=school, minutes_summary="Concept over het onthaal, nog niet vastgelegd.")
    db.session.commit()


def _search(app, auth, world, role, q, school=None):
    client = app.test_client()
    auth.login(client, world.users[role].email)
    return client.get(f"/scholen/{(school or world.school).id}/zoeken", query_string={"q": q})


@pytest.mark.parametrize("role", ["pupil", "forum", "flywheel", "director", "board", "adviser", "coordinator"])
def test_everyone_of_the_school_finds_everything_of_that_school_only(app, auth, world, content, role):
    response = _search(app, auth, world, role, "onthaal")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for group in ("Initiatieven", "Ideeën", "Besluiten", "Verslagen van het forum"):
        assert group in page, group
    assert "Warm onthaal aan de schoolpoort A" in page and "Moestuin A" in page and "Gsm-vrije speelplaats A" in page
    assert "schoolpoort B" not in page and "Moestuin B" not in page and "speelplaats B" not in page
    assert "Concept over het onthaal" not in page  # minutes not recorded yet
    assert "4 resultaten" in page


def test_another_schools_member_is_refused(app, auth, world, content):
    assert _search(app, auth, world, "outsider", "onthaal").status_code == 403
    # ... and finds only their own school's rows in their own school.
    page = _search(app, auth, world, "outsider", "onthaal", school=world.other_school).get_data(as_text=True)
    assert "schoolpoort B" in page and "schoolpoort A" not in page


def test_snippets_mark_the_match_and_escape_the_text(app, auth, world):
    InitiativeFactory(school=world.school, title="Brede school",
                      description="We bouwen een <script>alert(1)</script> brug naar de buurt met een **buurtwerking**.")
    db.session.commit()
    page = _search(app, auth, world, "pupil", "buurtwerking").get_data(as_text=True)
    assert "<mark>buurtwerking</mark>" in page
    assert "<script>alert(1)" not in page
    if db.engine.dialect.name == "sqlite":  # PostgreSQL's ts_headline leaves tags out altogether
        assert "&lt;script&gt;alert(1)" in page


def test_every_word_must_occur(app, auth, world, content):
    page = _search(app, auth, world, "forum", "moestuin speelplaats").get_data(as_text=True)
    assert "Moestuin A" in page and "schoolpoort A" not in page
    page = _search(app, auth, world, "forum", "moestuin zwembad").get_data(as_text=True)
    assert "Niets gevonden" in page


def test_an_empty_or_odd_query_finds_nothing_and_keeps_the_page(app, auth, world, content):
    for q in ("", "   ", "%", "_", "'); DROP TABLE ideas; --", "x" * 500):
        response = _search(app, auth, world, "forum", q)
        assert response.status_code == 200, q
    page = _search(app, auth, world, "forum", "").get_data(as_text=True)
    assert "resultaten" not in page and 'name="q"' in page


def test_dutch_stemming_on_postgresql(app, auth, world):
    """'scholen' finds 'school' and 'leerlingen' finds 'leerling' (PostgreSQL's Dutch configuration)."""
    InitiativeFactory(school=world.school, title="Een school die luistert", description="Elke leerling krijgt een mentor.")
    db.session.commit()
    page = _search(app, auth, world, "forum", "scholen leerlingen").get_data(as_text=True)
    if db.engine.dialect.name == "postgresql":
        assert "Een school die luistert" in page and "<mark>" in page
    else:  # SQLite matches words as typed
        assert "Niets gevonden" in page
        assert "Een school die luistert" in _search(app, auth, world, "forum", "school leerling").get_data(as_text=True)


def test_search_links_from_the_school(app, auth, world):
    client = app.test_client()
    auth.login(client, world.users["pupil"].email)
    page = client.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert f'action="/scholen/{world.school.id}/zoeken"' in page
    # The header links the active school's search.
    assert f'href="/scholen/{world.school.id}/zoeken"' in page


def test_search_objects_keep_queries_short():
    search = Search("  Warm   onthaal  " + "woord " * 50)
    assert search.text.startswith("Warm onthaal") and len(search.text) <= 200
    assert search.words[:2] == ["warm", "onthaal"] and len(search.words) == 12
    assert Search("!!!").empty


def _count_queries(client, url) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_query_count_does_not_grow_with_the_hits(app, auth, world):
    """One query per source, however much matches (each source reads plain columns, at most 20 rows)."""
    def add(n):
        for k in range(n):
            InitiativeFactory(school=world.school, title=f"Onthaal {k}", description="Warm onthaal.")
            IdeaFactory(school=world.school, title=f"Idee over onthaal {k}")
            DecisionFactory(round=AdviceRoundFactory(school=world.school, subject_title=f"Onthaal {k}"))
        db.session.commit()

    client = auth.client_for(world.users["pupil"])
    add(2)
    small = _count_queries(client, f"/scholen/{world.school.id}/zoeken?q=onthaal")
    add(40)
    large = _count_queries(client, f"/scholen/{world.school.id}/zoeken?q=onthaal")
    assert large == small, (small, large)
    page = client.get(f"/scholen/{world.school.id}/zoeken?q=onthaal").get_data(as_text=True)
    assert "Alleen de 20 beste resultaten" in page


def test_tasks_of_the_action_plans_are_found_in_their_school_only(app, auth, world):
    from warmeveranderen.actionplan.models import Task

    for school, tag in ((world.school, "A"), (world.other_school, "B")):
        initiative = InitiativeFactory(school=school, title=f"Leesbevordering {tag}")
        db.session.add(Task(initiative_id=initiative.id, school_id=school.id, title=f"Boekenkast bestellen {tag}",
                            notes="Vraag drie offertes voor de boekenkast."))
    db.session.commit()
    page = _search(app, auth, world, "flywheel", "boekenkast").get_data(as_text=True)
    assert "Boekenkast bestellen A" in page and "Boekenkast bestellen B" not in page
    assert "Leesbevordering A" in page  # the initiative the task belongs to, in the hit's detail
