"""The write side of a part's table versions (cacheversions.py): the unit of work raises, with its
school's version, the version of each table that changed in that school, in one statement."""

from sqlalchemy import text

from tests.factories_forum import AdviceFactory, AdviceRoundFactory
from tests.factories_tracking import CoachingSessionFactory
from tests.test_queries import counting
from warmeveranderen.extensions import db
from warmeveranderen.programme import cleanup
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative


def table_versions(school) -> dict[str, int]:
    return dict(db.session.execute(text("SELECT table_name, version FROM school_table_versions WHERE school_id = :s"),
                                   {"s": school.id}).all())


def test_each_changed_table_of_each_school_goes_up_once_per_commit(world):
    school, other = world.school, world.other_school
    round_ = AdviceRoundFactory(school=school)
    db.session.commit()
    before, other_before = table_versions(school), table_versions(other)
    assert before["advice_rounds"] >= 1
    # Two new rows in one commit (factories commit each: built here and added together); an advice is
    # traced to its school through its round.
    for author in (world.users["forum"], world.users["director"]):
        db.session.add(AdviceFactory.build(round=round_, author=author))
    with counting() as sent:
        db.session.commit()
    after = table_versions(school)
    assert after["advice"] == before.get("advice", 0) + 1
    assert {k: v for k, v in after.items() if k != "advice"} == before
    assert table_versions(other) == other_before
    assert len([s for s in sent if "school_table_versions" in s]) == 1


def test_a_rolled_back_change_raises_no_table(world):
    before = table_versions(world.school)
    db.session.add(Initiative(school=world.school, title="Nooit bewaard", building_block="culture", status="idea",
                              position=99, core_missions=[]))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert table_versions(world.school) == before


def test_a_new_adviser_on_a_session_raises_its_table(world):
    """A many-to-many collection: rows of an association table, noticed through the object that holds it."""
    session = CoachingSessionFactory(school=world.school)
    db.session.commit()
    before = table_versions(world.school)["coaching_sessions"]
    session.advisers.append(world.users["adviser"])
    db.session.commit()
    assert table_versions(world.school)["coaching_sessions"] == before + 1


def test_removing_a_school_takes_its_table_versions_along(world):
    school = School(programme_id=world.school.programme_id, name="Een school om te verwijderen",
                    city_id=world.school.city_id)
    db.session.add(school)
    db.session.commit()
    AdviceRoundFactory(school=school)
    db.session.commit()
    assert table_versions(school)
    db.session.get(type(school), school.id)  # nothing hangs on it but its round: remove that first
    for round_ in db.session.scalars(db.select(AdviceRoundFactory._meta.model).where(
            AdviceRoundFactory._meta.model.school_id == school.id)):
        db.session.delete(round_)
    db.session.commit()
    assert cleanup.hanging_on(school) == []  # the bookkeeping does not hang on it
    cleanup.remove(school, world.users["coordinator"])
    db.session.commit()
    assert db.session.scalar(text("SELECT COUNT(*) FROM school_table_versions WHERE school_id = :s"),
                             {"s": school.id}) == 0


def test_a_bulk_change_of_many_schools_and_tables_is_raised_in_a_few_statements(world):
    """An import that touches hundreds of schools: the pairs go in statements of RAISE_AT_ONCE (bound
    values stay under the databases' limits)."""
    from warmeveranderen import cacheversions

    pairs = {(world.school.id, f"table_{n}") for n in range(1200)}
    db.session.info.setdefault(cacheversions.TOUCHED_TABLES, set()).update(pairs)
    with counting() as sent:
        db.session.commit()
    assert len([s for s in sent if "school_table_versions" in s]) == 3
    assert {t for t in table_versions(world.school) if t.startswith("table_")} == {t for _s, t in pairs}
