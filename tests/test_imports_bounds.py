"""Imports do not hold the database: a well-being import takes the same statements for 20 rows as
for 400 (bulk, one transaction), and a file over the row limit is refused with a Dutch message."""

from sqlalchemy import event

from tests.test_tracking_wellbeing import HEADER, upload
from warmeveranderen.extensions import db
from warmeveranderen.tracking import imports
from warmeveranderen.tracking.models import WellbeingMeasurement


def _csv(rows: int, shift: int = 0) -> str:
    lines = [HEADER]
    for i in range(rows):
        # Both scales count the same pupils (the import checks it), in another order.
        levels = [(i + n + shift) % 7 + 1 for n in range(5)]
        counts = ",".join(str(c) for c in levels + levels[::-1])
        lines.append(f"2026-2027,{'voormeting' if i % 2 else 'nameting'},Groep {i // 2},{counts}")
    return "\n".join(lines)


def _statements(world, text: str) -> int:
    seen = []

    def listener(*_args):
        seen.append(1)

    rows = imports.read_csv(text, imports.WELLBEING_COLUMNS)
    school, author = world.school, world.users["director"]
    _loaded = (school.id, author.id)  # not the import's statements
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = imports.import_wellbeing(school, rows, author)
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert result.ok and result.created == len(rows)
    return len(seen)


def test_an_import_takes_the_same_statements_for_20_rows_as_for_400(world, app):
    with app.test_request_context():
        small_new = _statements(world, _csv(20))
        small_replace = _statements(world, _csv(20, shift=1))
        db.session.execute(db.delete(WellbeingMeasurement))
        large_new = _statements(world, _csv(400))
        large_replace = _statements(world, _csv(400, shift=1))
    # executemany counts once per statement on SQLite and PostgreSQL alike.
    assert large_new == small_new and large_replace == small_replace, (small_new, large_new, small_replace, large_replace)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 400
    first = db.session.scalar(db.select(WellbeingMeasurement).where(WellbeingMeasurement.group_name == "Groep 0",
                                                                    WellbeingMeasurement.moment == "post"))
    assert first.counts("wellbeing") == [2, 3, 4, 5, 6]  # the replaced counts (shift 1)


def test_a_file_over_the_row_limit_is_refused_and_nothing_is_imported(world, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 10)
    director = auth.client_for(world.users["director"])
    response = upload(director, f"/scholen/{world.school.id}/welbevinden/importeren", _csv(11))
    assert response.status_code == 422
    assert "Dit bestand heeft meer dan 10 regels; er is niets ingelezen." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 0
    assert upload(director, f"/scholen/{world.school.id}/welbevinden/importeren", _csv(10)).status_code == 302
