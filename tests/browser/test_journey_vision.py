"""Stage 3 of the journey: the flywheel's trekker writes the five answers of the vision and
publishes version 1. The demo school starts without a vision."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.extensions import db
from warmeveranderen.vision.models import Vision


@pytest.mark.browser
def test_trekker_writes_the_five_answers_and_publishes_version_1(new_page, demo):
    lead = person(new_page, demo, "flywheel_lead")
    to_school(lead, demo)
    lead.get_by_role("region", name="Onze visie").get_by_role("link", name="Naar de visie").click()
    lead.get_by_role("link", name="Schrijf verder").click()

    # 1. Why we exist; 2. the core missions; 3. values; 4. ambitions; 5. principles.
    lead.get_by_label("Onze bestaansreden").fill("Wij zijn er zodat **elke jongere** zich thuis voelt en groeit.")
    lead.get_by_label("Kwalificatie", exact=True).fill("Sterke basiskennis, met aandacht voor taal.")
    core_values = lead.get_by_role("group", name="Kernwaarden")
    core_values.get_by_label("Naam (waarde 1)").fill("Verbondenheid")
    core_values.get_by_label("Betekenis (waarde 1)").fill("We kennen elkaar bij naam.")
    lead.get_by_label("Onze ambities").fill("- Elke leerling heeft een vertrouwenspersoon\n- Elk team heeft een vast overleg")
    lead.get_by_label("Decentrale school met autonome teams", exact=True).fill("Teams beslissen zelf over hun leergemeenschap.")
    lead.get_by_role("button", name="Opslaan").first.click()
    expect(lead.get_by_role("status")).to_contain_text("Werkversie bewaard (revisie 1).")

    lead.get_by_role("link", name="Terug naar de werkversie").click()
    lead.get_by_label("Wat is er nieuw in deze versie?").fill("Eerste versie na de tweedaagse van het vliegwiel.")
    lead.get_by_role("button", name="Publiceer als nieuwe versie").click()
    expect(lead.get_by_role("status")).to_contain_text("Versie 1 is gepubliceerd.")

    # Everyone of the school reads version 1, e.g. the pupil.
    pupil = person(new_page, demo, "pupil")
    to_school(pupil, demo)
    pupil.get_by_role("region", name="Onze visie").get_by_role("link", name=re.compile("^(Naar de visie|Alle versies)$")).click()
    pupil.get_by_role("link", name="Versie 1").click()
    expect(pupil.get_by_role("main")).to_contain_text("Verbondenheid")

    vision = db.session.scalar(db.select(Vision).where(Vision.school_id == demo.school.id))
    assert vision is not None and len(vision.versions) == 1
