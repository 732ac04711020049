"""The surveys on the progress page rendered afresh (issue 24): the list and "from screening to action"
share the school's surveys, and the results of every pre/post pair are read in one statement, however
many groups the school surveyed."""

import pytest

from tests.factories_surveys import answered_survey
from tests.factories_tracking import WellbeingMeasurementFactory
from tests.test_queries import counting
from warmeveranderen.extensions import db
from warmeveranderen.sprints.models import BasketItem
from warmeveranderen.surveys import queries

SURVEY_TABLES = ("surveys", "survey_templates", "survey_settings", "survey_answers", "survey_questions",
                 "wellbeing_measurements", "basket_items")


def _table(statement: str) -> str:
    """The table a statement reads first (what follows its first FROM)."""
    words = " ".join(statement.split()).split(" FROM ", 1)[1].split()
    return words[0]


def _survey_reads(client, url) -> list[str]:
    client.get(url)
    with counting() as statements:
        page = client.get(url)
    assert page.status_code == 200
    assert "Van meting naar actie" in page.get_data(as_text=True)
    # What the school took from the basket is part of the basket's statement (the sprints read initiatives
    # for their own section); the screening's programme-wide totals are the wellbeing section's.
    assert not [s for s in statements if s.lstrip().startswith("SELECT initiatives.basket_item_id")]
    return [s for s in statements if " FROM " in s and _table(s) in SURVEY_TABLES
            and not s.lstrip().startswith("SELECT wellbeing_measurements.school_year, wellbeing_measurements.moment, count")]


@pytest.mark.parametrize("groups", [1, 3])
def test_the_progress_page_reads_the_surveys_in_a_fixed_number_of_statements(auth, world, monkeypatch, groups):
    db.session.add(BasketItem(programme_id=world.school.programme_id, title="Teamcoaching", what="Coaching.",
                              building_block="culture", addresses=["workload", "emotional"], active=True))
    row = WellbeingMeasurementFactory(school=world.school, school_year="2026-2027", moment="pre", group_name="6A")
    for n, value in enumerate([9, 0, 9, 0, 0], start=1):
        setattr(row, f"emotional_{n}", value)
    db.session.commit()
    for n in range(groups):
        answered_survey(world.school, moment="pre", group=f"Groep {n}", answers=[[4, 4]] * 5)
        answered_survey(world.school, moment="post", group=f"Groep {n}", answers=[[4, 2]] * 5)
    client = auth.client_for(world.users["director"])
    monkeypatch.setitem(client.application.config, "PART_CACHE_SECONDS", 0)
    reads = _survey_reads(client, f"/scholen/{world.school.id}/voortgang")
    tables = [_table(s) for s in reads]
    # surveys (with their templates), settings, the latest screening, the answers of all pairs,
    # their questions, the basket's items not taken yet.
    assert len(reads) <= 6, reads
    for table in SURVEY_TABLES:
        assert tables.count(table) <= 1, (table, reads)
    assert "survey_templates" not in tables


def test_the_results_of_several_surveys_keep_the_minimum_group_size(world):
    small = answered_survey(world.school, moment="pre", answers=[[4, 4]] * 4)
    enough = answered_survey(world.school, moment="post", answers=[[4, 2], [5, 2], [3, 1], [4], [2], [4]])
    with counting() as statements:
        found = queries.results_of([small, enough])
    answers = [s for s in statements if _table(s) == "survey_answers"]
    assert len(answers) == 1 and "survey_answers.survey_id IN" in " ".join(answers[0].split())
    assert not found[small.id].shown and found[small.id].questions == []
    first, second = found[enough.id].questions[:2]
    assert first.shown and first.counts == [0, 1, 1, 3, 1]
    assert not second.shown and second.counts == [] and second.mean is None
    assert found[enough.id] == queries.results(enough)
    assert queries.pre_and_post(enough) == queries.pre_and_post(enough, queries.surveys_of(world.school))
