"""Screening (issue 20): the third scale, healthy emotional functioning, and staff groups — still counts
per group, never a person; staff groups stay out of the pupils' totals."""

import io

from tests.test_tracking_journey import counts
from warmeveranderen.extensions import db
from warmeveranderen.tracking import dashboards
from warmeveranderen.tracking.models import WellbeingMeasurement


def _emotional(values):
    return {f"emotional_{n}": v for n, v in enumerate(values, start=1)}


def test_the_third_scale_and_a_staff_group_are_entered_per_group(world, auth):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden"
    form = director.get(url).get_data(as_text=True)
    assert "gezond emotioneel functioneren" in form and "Personeel" in form
    data = {"school_year": "2026-2027", "moment": "pre", "group_name": "5A"}
    refused = director.post_form(url, {**data, **counts((1, 2, 3, 2, 2), (1, 2, 3, 2, 2)), **_emotional((5, 0, 0, 0, 0))})
    assert refused.status_code == 422 and "telt dezelfde groep: 10, niet 5" in refused.get_data(as_text=True)
    assert director.post_form(url, {**data, **counts((1, 2, 3, 2, 2), (1, 2, 3, 2, 2)),
                                    **_emotional((3, 3, 2, 1, 1))}).status_code == 302
    assert director.post_form(url, {**data, "group_name": "Team lager", "population": "staff",
                                    **counts((0, 1, 4, 6, 3), (0, 1, 3, 7, 3))}).status_code == 302
    rows = {r.group_name: r for r in db.session.scalars(db.select(WellbeingMeasurement))}
    assert rows["5A"].counts("emotional") == [3, 3, 2, 1, 1] and rows["5A"].population == "pupils"
    assert rows["Team lager"].population == "staff" and rows["Team lager"].total("emotional") == 0
    # The pupils' totals: the staff team is not in them; 60 % of 5A at levels 1–2 of emotional functioning.
    totals = dashboards.wellbeing_totals(school_id=world.school.id)
    assert totals[0]["wellbeing"]["total"] == 10 and totals[0]["emotional"]["low"] == 60.0
    page = director.get(url + "?jaar=2026-2027").get_data(as_text=True)
    assert "Team lager" in page and "personeel" in page
    assert director.get(url + "/verdeling.svg?jaar=2026-2027&moment=pre&schaal=emotional").status_code == 200


def test_the_import_and_export_carry_the_third_scale_and_the_population(world, auth):
    director = auth.client_for(world.users["director"])
    header = "school_year,moment,group," + ",".join(
        [f"wellbeing_{n}" for n in range(1, 6)] + [f"involvement_{n}" for n in range(1, 6)]
        + [f"emotional_{n}" for n in range(1, 6)]) + ",population"
    text = header + "\n2026-2027,voormeting,3B,1,1,2,3,3,1,1,2,3,3,4,2,2,1,1,leerlingen\n" \
                    "2026-2027,voormeting,Team,0,0,1,2,2,0,0,1,2,2,,,,,,personeel\n"
    response = director.post_form(f"/scholen/{world.school.id}/welbevinden/importeren",
                                  {"file": (io.BytesIO(text.encode()), "m.csv")}, content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    rows = {r.group_name: r for r in db.session.scalars(db.select(WellbeingMeasurement))}
    assert rows["3B"].counts("emotional") == [4, 2, 2, 1, 1] and rows["Team"].population == "staff"
    export = director.get(f"/scholen/{world.school.id}/welbevinden.csv").get_data(as_text=True)
    assert "(emotional_1)" in export and "personeel" in export


def test_classroom_observations_are_counts_and_ratings_per_class(world, auth):
    from datetime import timedelta

    from warmeveranderen.surveys.models import ClassroomObservation
    from warmeveranderen.timeutil import today

    adviser = auth.client_for(world.users["adviser"])
    url = f"/scholen/{world.school.id}/observaties"
    data = {"class_name": "3A", "observed_on": (today() - timedelta(days=2)).isoformat(), "involvement_2": "2",
            "involvement_3": "6", "involvement_4": "10", "involvement_5": "4", "class_climate": "4",
            "teaching_style": "5"}
    assert adviser.post_form(url, {**data, "involvement_2": "0", "involvement_3": "0", "involvement_4": "0",
                                   "involvement_5": "0"}).status_code == 422
    future = adviser.post_form(url, {**data, "observed_on": (today() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and "niet in de toekomst" in future.get_data(as_text=True)
    assert adviser.post_form(url, data).status_code == 302
    row = db.session.scalar(db.select(ClassroomObservation))
    assert row.counts() == [0, 2, 6, 10, 4] and (row.class_climate, row.teaching_style) == (4, 5)
    columns = {c.name for c in ClassroomObservation.__table__.columns}
    assert not columns & {"observer_id", "created_by_id", "teacher", "pupil"}
    page = auth.client_for(world.users["board"]).get(url).get_data(as_text=True)
    assert "3A" in page and "64" in page  # 14 of 22 pupils at levels 4–5
    assert "Een observatie invoeren" not in page  # the board reads, does not enter
