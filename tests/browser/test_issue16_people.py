"""Inviting from the coordinator's people page (issue 16): the school search works without JavaScript (a
search form that lists the matches, *Kiezen* fills the invite form) and is enhanced with it (the school
field suggests names from static/js/school-search.js through a <datalist>)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, visit


@pytest.mark.browser
def test_the_school_search_without_javascript(new_page, demo):
    page = new_page(java_script_enabled=False)
    login(page, demo.users["coordinator"].email, demo.password)
    visit(page, "/programma/mensen")
    word = demo.school.name.split()[-1]
    page.get_by_label("Zoek eerst de school").fill(word)
    page.get_by_role("button", name="Zoek school").click()
    results = page.get_by_role("region", name=re.compile("gevonden"))
    results.get_by_role("link", name=re.compile(f"Kiezen {re.escape(demo.school.name)}")).click()
    expect(page.get_by_label("School", exact=True)).to_have_value(demo.school.name)


@pytest.mark.browser
def test_the_school_field_suggests_names_with_javascript(new_page, demo):
    page = new_page()
    login(page, demo.users["coordinator"].email, demo.password)
    visit(page, "/programma/mensen")
    field = page.get_by_label("School", exact=True)
    field.fill(demo.school.name[:5])
    options = page.locator("#school-suggestions option")
    expect(options.first).to_be_attached()
    values = options.evaluate_all("(nodes) => nodes.map((n) => n.value)")
    assert demo.school.name in values, values
