"""Shared steps of the journey tests (test_journey_<stage>.py): people of the demo school logging in,
each in their own browser context, and the school's pages they reach by clicking."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import login


def person(new_page, demo, role: str):
    """A new browser context for one demo person, logged in through the real form."""
    page = new_page()
    login(page, demo.users[role].email, demo.password)
    return page


def to_school(page, demo) -> None:
    """From the home page to the demo school's home page, by its link."""
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=demo.school.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.school.name)
