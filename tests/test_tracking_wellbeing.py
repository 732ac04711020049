"""Well-being and involvement: entry, validation, CSV import (all or nothing, idempotent), charts, privacy."""

import io

from tests.factories_tracking import WellbeingMeasurementFactory
from tests.test_tracking_journey import counts
from warmeveranderen.extensions import db
from warmeveranderen.tracking.models import WellbeingMeasurement

HEADER = "school_year,moment,group," + ",".join(
    [f"wellbeing_{n}" for n in range(1, 6)] + [f"involvement_{n}" for n in range(1, 6)])


def upload(client, url, text: str, name="metingen.csv"):
    return client.post_form(url, {"file": (io.BytesIO(text.encode("utf-8")), name)},
                            content_type="multipart/form-data")


def test_bad_counts_are_refused_and_kept(world, auth):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden"
    response = director.post_form(url, {"school_year": "2026-2027", "moment": "pre", "group_name": "4B",
                                        **counts((0, 0, 0, 0, 0), (1, 2, 3, 4, 5))})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul voor welbevinden minstens één leerling in." in page and 'value="4B"' in page
    response = director.post_form(url, {"school_year": "2026-2027", "moment": "pre", "group_name": "4B",
                                        **counts((-1, 0, 0, 0, 0), (1, 2, 3, 4, 5))})
    assert response.status_code == 422 and "Een aantal tussen 0 en 250." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 0


def test_both_scales_count_the_same_group_of_a_sane_size(world, auth):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden"
    data = {"school_year": "2026-2027", "moment": "pre", "group_name": "4B"}
    response = director.post_form(url, {**data, **counts((0, 2, 8, 8, 2), (5, 10, 10, 10, 10))})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="4B"' in page and 'value="45"' not in page
    assert "nu telt welbevinden 20 en betrokkenheid 45 leerlingen" in page
    response = director.post_form(url, {**data, **counts((0, 0, 0, 0, 200), (0, 0, 0, 0, 200))})
    assert response.status_code == 302  # 200 pupils at one level is fine
    response = director.post_form(url, {**data, **counts((100, 100, 100, 0, 0), (0, 100, 100, 100, 0))})
    assert response.status_code == 422 and "Een groep telt hoogstens 250 leerlingen, deze 300." in response.get_data(
        as_text=True)
    response = director.post_form(url, {**data, **counts((0, 0, 0, 0, 999), (0, 0, 0, 0, 999))})
    assert response.status_code == 422 and "Een aantal tussen 0 en 250." in response.get_data(as_text=True)
    import_text = HEADER + "\n2026-2027,post,4B,0,2,8,8,2,5,10,10,10,10\n"
    refused = upload(director, f"{url}/importeren", import_text)
    assert refused.status_code == 422 and "nu telt welbevinden 20 en betrokkenheid 45" in refused.get_data(as_text=True)


def test_entering_a_group_again_replaces_its_counts(world, auth):
    flywheel = auth.client_for(world.users["flywheel"])
    url = f"/scholen/{world.school.id}/welbevinden"
    data = {"school_year": "2026-2027", "moment": "post", "group_name": "3A"}
    flywheel.post_form(url, {**data, **counts((1, 1, 1, 1, 1), (1, 1, 1, 1, 1))})
    flywheel.post_form(url, {**data, "group_name": "3a", **counts((0, 0, 2, 2, 2), (1, 1, 1, 1, 2))})
    db.session.expire_all()
    rows = db.session.scalars(db.select(WellbeingMeasurement)).all()
    assert len(rows) == 1 and rows[0].counts("wellbeing") == [0, 0, 2, 2, 2]


def test_only_director_and_flywheel_enter(world, auth):
    url = f"/scholen/{world.school.id}/welbevinden"
    data = {"school_year": "2026-2027", "moment": "pre", "group_name": "3A", **counts((1, 1, 1, 1, 1), (1, 1, 1, 1, 1))}
    for role in ("forum", "pupil", "board", "adviser"):
        assert auth.client_for(world.users[role]).post_form(url, data).status_code == 403
    # The school's people see their own counts; another school's director sees nothing.
    WellbeingMeasurementFactory(school=world.school, group_name="Leergemeenschap Noord")
    assert "Leergemeenschap Noord" in auth.client_for(world.users["pupil"]).get(url).get_data(as_text=True)
    assert auth.client_for(world.users["outsider"]).get(url).status_code == 403
    assert auth.client_for(world.users["outsider"]).get(f"{url}/trend.svg").status_code == 403


def test_import_is_all_or_nothing_and_idempotent(world, auth):
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden/importeren"
    good = "\n".join([HEADER,
                      "2026-2027,voormeting,3A,1,2,8,9,3,2,4,9,7,1",
                      "2026-2027,nameting,3A,0,2,6,11,5,1,3,7,10,3"])
    bad = good + "\n2026-2027,tussenmeting,3B,1,1,1,1,1,1,1,1,1,1\n2026/2027,voormeting,3C,1,1,1,1,1,1,1,1,1,1"
    response = upload(director, url, bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 regel(s) geweigerd; er is niets ingelezen." in page
    assert "voormeting" in page and "Schrijf het schooljaar als 2026-2027." in page
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 0
    assert upload(director, url, good).status_code == 302
    assert upload(director, url, good.replace(",", ";")).status_code == 302  # Excel's semicolons, same data
    db.session.expire_all()
    rows = db.session.scalars(db.select(WellbeingMeasurement).order_by(WellbeingMeasurement.moment)).all()
    assert [(r.moment, r.counts("involvement")) for r in rows] == [("post", [1, 3, 7, 10, 3]), ("pre", [2, 4, 9, 7, 1])]


def test_import_refuses_a_file_without_the_columns(world, auth):
    response = upload(auth.client_for(world.users["director"]), f"/scholen/{world.school.id}/welbevinden/importeren",
                      "klas,leerling,score\n3A,Jan,4")
    assert response.status_code == 422 and "Deze kolommen ontbreken" in response.get_data(as_text=True)


def test_charts_are_svg_with_a_table_on_the_page(world, auth):
    WellbeingMeasurementFactory(school=world.school, group_name="5B", moment="pre")
    WellbeingMeasurementFactory(school=world.school, group_name="5B", moment="post", wellbeing_4=14)
    client = auth.client_for(world.users["director"])
    page = client.get(f"/scholen/{world.school.id}/welbevinden?jaar=2026-2027").get_data(as_text=True)
    assert "<caption>" in page and "verdeling.svg" in page and "evolutie.svg" in page
    svg = client.get(f"/scholen/{world.school.id}/welbevinden/verdeling.svg?jaar=2026-2027&moment=pre")
    assert svg.mimetype == "image/svg+xml" and "5B" in svg.get_data(as_text=True)
    assert client.get(f"/scholen/{world.school.id}/welbevinden/verdeling.svg?jaar=nonsense").status_code == 404


def test_unreadable_files_get_a_message_not_an_error(world, auth):
    client = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden/importeren"
    response = client.post_form(url, {"file": (io.BytesIO(b"school_year\x00moment\n\x81\x8d"), "x.csv")},
                                content_type="multipart/form-data")
    assert response.status_code == 422
    response = upload(client, url, "")
    assert response.status_code == 422 and "Het bestand is leeg." in response.get_data(as_text=True)
