"""The programme report as a PDF (issue 16): the same filters, figures and charts as the page, the CSV and
the .xlsx. "Sessions held and indicator distribution for school year X in city Y" agree across all four."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.factories import SchoolFactory
from tests.factories_tracking import CoachingSessionFactory, IndicatorRatingFactory, WellbeingMeasurementFactory
from warmeveranderen import pdf
from warmeveranderen.extensions import db
from warmeveranderen.tracking import services

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint/Pango missing on this machine")


def _programme(world):
    """School A (its city) has sessions in 2018-2019 and one in 2019-2020; school B, elsewhere, has its own."""
    school, other = world.school, world.other_school
    twin = SchoolFactory(name="Tweede School A", city=school.city, network=school.network)
    adviser = world.users["adviser"]
    for day in (date(2018, 10, 2), date(2018, 11, 6), date(2019, 3, 5)):
        CoachingSessionFactory(school=school, held_on=day, advisers=[adviser])
    CoachingSessionFactory(school=twin, held_on=date(2019, 1, 15), advisers=[adviser])
    CoachingSessionFactory(school=school, held_on=date(2019, 10, 1), advisers=[adviser])  # next school year
    CoachingSessionFactory(school=school, held_on=date(2019, 2, 5), cancelled=True, advisers=[adviser])
    CoachingSessionFactory(kind="collective", school=None, network=school.network, held_on=date(2018, 12, 4),
                           advisers=[adviser])
    for day in (date(2018, 10, 9), date(2019, 4, 2)):
        CoachingSessionFactory(school=other, held_on=day, advisers=[adviser])
    first, second = services.indicators()[:2]
    IndicatorRatingFactory(school=school, indicator=first, level="realised", measured_on=date(2019, 6, 20),
                           school_year="2018-2019")
    IndicatorRatingFactory(school=twin, indicator=first, level="started", measured_on=date(2019, 6, 21),
                           school_year="2018-2019")
    IndicatorRatingFactory(school=school, indicator=second, level="in_progress", measured_on=date(2019, 6, 20),
                           school_year="2018-2019")
    IndicatorRatingFactory(school=other, indicator=first, level="not_started", measured_on=date(2019, 6, 20),
                           school_year="2018-2019")
    WellbeingMeasurementFactory(school=school, school_year="2018-2019", moment="pre", group_name="Klas 1A")
    db.session.commit()
    return twin


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages)


def test_the_pdf_shows_the_same_figures_as_the_page_csv_and_xlsx(world, auth):
    twin = _programme(world)
    coordinator = auth.client_for(world.users["coordinator"])
    query = f"schooljaar=2018-2019&stad={world.school.city_id}"

    page = coordinator.get(f"/programma/rapport?{query}").get_data(as_text=True)
    assert "1 collectieve sessies in de lerende netwerken en 4 individuele sessies in de scholen." in page
    assert f'href="/programma/rapport.pdf?schooljaar=2018-2019&amp;stad={world.school.city_id}"' in page

    response = coordinator.get(f"/programma/rapport.pdf?{query}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "programmarapport-2018-2019" in response.headers["Content-Disposition"]
    text = _pdf_text(response.get_data())
    assert "1 collectieve sessies in de lerende netwerken en 4 individuele sessies in de scholen." in text
    assert "Periode: 1 sep 2018 tot en met 31 aug 2019. Scope:" in text
    assert f"Scope: {world.school.city.name}" in text
    assert world.other_school.name not in text  # another city's school is not in this scope
    assert "Warme School A" in text and twin.name in text
    # The charts are in the PDF (inlined SVG), with the indicator chart's title.
    assert "Scholen per niveau, per indicator" in text

    # The CSV of the same scope: per school the same individual counts, the network row the collective one.
    body = coordinator.get(f"/programma/rapport.csv?deel=sessies&{query}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sum(int(r["individual_sessions"]) for r in rows) == 4
    assert sum(int(r["collective_sessions"]) for r in rows) == 1
    per_school = {r["school"]: int(r["individual_sessions"]) for r in rows if r["school"]}
    assert per_school == {"Warme School A": 3, twin.name: 1}
    for school, n in per_school.items():  # the PDF's table row: the school's name and its count
        assert re.search(rf"{re.escape(school)} {n}\b", text), (school, n, text)

    # The .xlsx export of every session in the same period and scope: one row per session held or cancelled.
    sheet = load_workbook(io.BytesIO(coordinator.get(f"/programma/export/sessies.xlsx?{query}").get_data())).active
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    held = [r for r in data if not r[9]]
    assert len([r for r in held if r[1] == "individueel"]) == 4 and len([r for r in held if r[1] == "collectief"]) == 1

    # The indicator distribution: page, CSV and PDF.
    indicators = coordinator.get(f"/programma/rapport.csv?deel=indicatoren&{query}").get_data(as_text=True)
    first = next(csv.DictReader(io.StringIO(indicators)))
    assert (first["realised"], first["started"], first["not_started"], first["not_rated"]) == ("1", "1", "0", "0")
    assert "1 (50,0 %)" in text  # the decimal comma, as on the page
    assert re.search(r'1 <span class="text-muted">\(50,0\s%\)</span>', page)


def test_the_pdf_follows_an_advisers_scope_and_refuses_others(world, auth):
    _programme(world)
    text = _pdf_text(auth.client_for(world.users["adviser"]).get("/programma/rapport.pdf").get_data())
    assert "Beperkt tot de scholen die je begeleidt." in text
    assert world.other_school.name not in text
    assert auth.client_for(world.users["director"]).get("/programma/rapport.pdf").status_code == 403
