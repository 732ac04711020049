"""Without JavaScript the board and the backlog still work: the buttons post forms and the server
reorders and moves (the drag-and-drop and Alt+arrow enhancements of sprints.js are not there)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, visit
from tests.browser.journey import IDEAS, running_sprint_1


def backlog_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#backlog .backlog-item a").all_inner_texts()]


@pytest.mark.browser
def test_backlog_reorder_and_board_move_without_javascript(new_page, demo):
    sprint = running_sprint_1(demo)
    page = new_page(java_script_enabled=False)
    login(page, demo.users["flywheel_lead"].email, demo.password)

    # The backlog: the first initiative one place lower, then the last one place higher.
    visit(page, f"/scholen/{demo.school.id}/backlog")
    before = backlog_titles(page)
    assert len(before) >= 3, before
    page.locator(".backlog-item", has_text=before[0]).get_by_role("button", name=re.compile("Lager")).click()
    after = backlog_titles(page)
    assert after[:2] == [before[1], before[0]], after
    page.locator(".backlog-item", has_text=after[-1]).get_by_role("button", name=re.compile("Hoger")).click()
    assert backlog_titles(page)[-2] == after[-1]

    # The board: a card moves from planned to in progress with the select and the button.
    visit(page, f"/sprints/{sprint.id}/bord")
    card = page.locator(".board-card", has_text=IDEAS[1])
    card.get_by_label(f"Nieuwe status voor {IDEAS[1]}").select_option(label="In uitvoering")
    card.get_by_role("button", name=re.compile("^Verplaats")).click()
    column = page.locator("section.board-column", has=page.get_by_role("heading", name=re.compile("^In uitvoering")))
    expect(column.get_by_role("link", name=IDEAS[1])).to_be_visible()
