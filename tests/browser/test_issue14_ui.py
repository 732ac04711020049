"""Issue 14 in the browser: an endorsement by two of the six groups, the unread count on a phone."""

from __future__ import annotations

import re

import pytest
from flask import current_app
from playwright.sync_api import expect

from tests.browser.journey import person
from warmeveranderen.extensions import db
from warmeveranderen.vision.models import Endorsement


def _published_version(demo) -> None:
    from warmeveranderen.accounts.models import User
    from warmeveranderen.programme.models import School
    from warmeveranderen.vision import services as vision

    with current_app.test_request_context():
        lead = db.session.get(User, demo.users["flywheel_lead"].id)
        school = db.session.get(School, demo.school.id)
        vision.save_draft(school, lead, {"reason": "Wij zijn er zodat elke jongere zich thuis voelt."}, 0)
        vision.publish(school, lead, "Eerste versie.", 1)
        db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)


@pytest.mark.browser
def test_endorsement_by_two_groups_is_accepted_by_the_browser(new_page, demo):
    _published_version(demo)
    lead = person(new_page, demo, "flywheel_lead")
    lead.goto(f"/scholen/{demo.school.id}/visie/versies/1/endorsement")
    groups = lead.get_by_role("group", name="Welke stakeholdergroepen klopten deze versie af?")
    boxes = groups.get_by_role("checkbox")
    expect(boxes).to_have_count(6)
    for i in range(6):
        expect(boxes.nth(i)).not_to_have_attribute("required", "")
    groups.get_by_label("Ouders").check()
    groups.get_by_label("Leerlingen").check()
    lead.get_by_role("button", name="Leg de endorsement vast").click()
    expect(lead.get_by_role("status")).to_be_visible()

    db.session.expire_all()
    endorsement = db.session.scalar(db.select(Endorsement).order_by(Endorsement.id.desc()).limit(1))  # the demo has others
    assert endorsement is not None and sorted(endorsement.groups) == ["parent", "pupil"]


@pytest.mark.browser
def test_phone_shows_the_unread_count_in_the_bar_without_opening_the_menu(new_page, demo):
    from warmeveranderen.accounts.models import User
    from warmeveranderen.notifications.services import notify, unread_count

    with current_app.test_request_context():
        parent = db.session.get(User, demo.users["forum"].id)  # the demo's forum member is a parent
        for title in ("Het forum vraagt je advies", "Er is een besluit genomen"):
            notify([parent], category="demo", title=title, url="/", email=False)
        db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
        unread = unread_count(parent)
    assert unread >= 2

    page = person(new_page, demo, "forum")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("button", name="Menu tonen")).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    badge = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="ongelezen meldingen")
    expect(badge).to_be_visible()
    expect(badge).to_have_text(f"{unread} ongelezen meldingen")
    box, toggler = badge.bounding_box(), page.get_by_role("button", name="Menu tonen").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (toggler["y"] + toggler["height"] / 2)) < toggler["height"] / 2
    badge.click()
    expect(page).to_have_url(re.compile(r"/meldingen"))

    # On a wide screen the count stays in the menu (one link, not two).
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(badge).to_be_hidden()


@pytest.mark.browser
def test_the_amore_chart_shows_a_revised_score_at_once(new_page, demo):
    _published_version(demo)
    lead = person(new_page, demo, "flywheel_lead")
    lead.goto(f"/scholen/{demo.school.id}/visie/versies/1/amore")

    def give(score: str) -> str:
        """Score every criterion, submit; the SVG the browser shows on the page it returns to."""
        for criterion in ("ambitious", "motivating", "distinctive", "relevant", "authentic"):
            lead.locator(f'input[name="{criterion}"][value="{score}"]').check()
        with lead.expect_response(lambda r: r.url.endswith("/amore.svg")) as chart:
            lead.get_by_role("button", name="Bewaar mijn AMORE-score").click()
        expect(lead.get_by_role("status")).to_contain_text("is bewaard")
        return chart.value.text()

    first = give("5")
    expect(lead.locator("table.amore-table")).to_contain_text("5,0")
    revised = give("2")
    expect(lead.locator("table.amore-table")).to_contain_text("2,0")
    assert revised != first  # the chart above the table shows the new scores, not a cached image
