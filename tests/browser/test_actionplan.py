"""The action plan in the browser, as a flywheel would: plan an initiative with three tasks for two
people (the quick form and the full form), tick one off and keep its checklist without JavaScript,
and the person on a task sees it on the school's home and under *Mijn taken*."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, visit

INITIATIVE = "Intervisie voor klastitularissen"  # the demo gives it a plan of one task


def _initiative_id(demo) -> int:
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints.models import Initiative

    return db.session.scalar(db.select(Initiative.id).where(Initiative.school_id == demo.school.id,
                                                            Initiative.title == INITIATIVE))


@pytest.mark.browser
def test_plan_three_tasks_for_two_people_and_tick_one_off(new_page, demo):
    page = new_page(java_script_enabled=False)
    login(page, demo.users["flywheel_lead"].email, demo.password)
    url = f"/initiatieven/{_initiative_id(demo)}"
    visit(page, url)
    plan = page.locator("#actieplan")
    expect(plan.get_by_text("0 van 1 taken afgerond")).to_be_visible()

    # The quick form: a title, a date and one person.
    plan.get_by_label("Nieuwe taak").fill("Intervisiegroepen samenstellen")
    plan.get_by_label("Tegen wanneer").fill("2027-01-15")
    plan.get_by_label("Wie").select_option(label="Victor Vliegwiel")
    plan.get_by_role("button", name="Taak toevoegen").click()
    expect(page.get_by_text("De taak “Intervisiegroepen samenstellen” staat in het actieplan.")).to_be_visible()

    # The full form: two people and an explanation.
    for title in ("Casusformat kiezen", "Eerste intervisie houden"):
        page.locator("#actieplan").get_by_role("link", name="Taak met meer mensen of uitleg").click()
        page.get_by_label("Taak", exact=True).fill(title)
        page.get_by_label("Victor Vliegwiel").check()
        page.get_by_label("Tine Trekker").check()
        page.get_by_label("Uitleg (mag je leeg laten)").fill("Zie de **handleiding** van het CLB.")
        page.get_by_role("button", name="Taak bewaren").click()
    plan = page.locator("#actieplan")
    expect(plan.get_by_text("0 van 4 taken afgerond")).to_be_visible()
    expect(plan.locator(".task-row", has_text="Casusformat kiezen")).to_contain_text("Tine Trekker, Victor Vliegwiel")

    # Tick one off (a form button, no JavaScript needed) and keep its checklist.
    plan.get_by_role("button", name="Afgerond: Intervisiegroepen samenstellen").click()
    expect(page.locator("#actieplan").get_by_text("1 van 4 taken afgerond")).to_be_visible()
    page.locator("#actieplan").get_by_role("link", name="Casusformat kiezen").click()
    expect(page.get_by_role("heading", name="Casusformat kiezen")).to_be_visible()
    page.get_by_label("Nieuw punt op de checklist").fill("Drie formats vergelijken")
    page.locator("#checklist").get_by_role("button", name="Punt toevoegen").click()
    page.get_by_role("button", name="Afgerond: Drie formats vergelijken").click()
    expect(page.locator("#checklist")).to_contain_text("1/1")

    # Victor sees his tasks on the school's home and under "Mijn taken".
    other = new_page()
    login(other, demo.users["flywheel"].email, demo.password)
    visit(other, f"/scholen/{demo.school.id}")
    panel = other.locator("section", has=other.get_by_role("heading", name="Mijn taken"))
    expect(panel).to_contain_text("Casusformat kiezen")
    panel.get_by_role("link", name="Mijn taken").click()
    expect(other.get_by_role("link", name="Eerste intervisie houden")).to_be_visible()
    expect(other.get_by_role("link", name=re.compile("^Intervisiegroepen"))).to_have_count(0)  # done: hidden
