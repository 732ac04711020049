"""The sprint calendar follows the school calendar (issue 17): the director opens it from sprint 1,
sees the school year with its holidays and each sprint's school weeks and forum day, and adds the
school's pedagogical study day."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.journey import person, to_school
from warmeveranderen.timeutil import today


@pytest.mark.browser
def test_director_sees_the_holidays_and_adds_a_study_day(new_page, demo):
    director = person(new_page, demo, "director")
    to_school(director, demo)
    director.get_by_role("link", name="Sprint 1", exact=True).click()
    director.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Sprints", exact=True).click()
    expect(director.get_by_role("heading", level=1)).to_have_text(f"Sprints van {demo.school.name}")

    sprints = director.get_by_role("table", name="Alle sprints van de school, met hun vaste data")
    expect(sprints.get_by_role("columnheader", name="Schoolweken")).to_be_visible()
    expect(sprints.get_by_role("columnheader", name="Forum")).to_be_visible()
    expect(director.get_by_role("heading", name=re.compile(r"^Schooljaar \d{4}–\d{4}$"))).to_be_visible()
    days_off = director.get_by_role("table", name="Vakanties, vrije dagen en eigen vrije dagen van dit schooljaar")
    for name in ("Herfstvakantie", "Kerstvakantie", "Paasvakantie", "Zomervakantie", "Pinkstermaandag"):
        expect(days_off.get_by_role("row").filter(has_text=name)).to_have_count(1)

    day = today() + timedelta(days=45)
    day += timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)  # a weekday
    director.get_by_label("Datum").fill(day.isoformat())
    director.get_by_label("Naam").fill("Pedagogische studiedag")
    director.get_by_role("button", name="Vrije dag toevoegen").click()
    expect(director.get_by_role("status")).to_contain_text("De vrije dagen zijn bijgewerkt")
    expect(director.get_by_role("listitem").filter(has_text="Pedagogische studiedag")).to_be_visible()
