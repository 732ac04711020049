"""The board by hand in a real browser: a card dragged with the mouse (SortableJS) and moved with the
keyboard (space, arrows, space), announced in the live region; a move the rules refuse snaps back with the
Dutch reason; the search finds the card. Screenshots at desktop and phone width go to test-artifacts/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, visit
from tests.browser.journey import IDEAS, running_sprint_1

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _status(title: str) -> str:
    from warmeveranderen.extensions import db
    from warmeveranderen.sprints.models import Initiative

    db.session.expire_all()
    return db.session.scalar(db.select(Initiative.status).where(Initiative.title == title))


def _column(page, name: str):
    return page.locator(f'.board-list[data-column="{name}"]')


def _drag(page, card, target) -> None:
    """Press on the card's body, move in steps (SortableJS's fallback follows the mouse), release on the column."""
    target.scroll_into_view_if_needed()
    box = card.locator(".small").first.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    for k in range(1, 16):
        page.mouse.move(box["x"] + 5 + (goal["x"] + 20 - box["x"] - 5) * k / 15,
                        box["y"] + 5 + (goal["y"] + goal["height"] - 10 - box["y"] - 5) * k / 15)
        page.wait_for_timeout(20)
    # SortableJS's fallback looks at the pointer every 50 ms: give it a few looks at the drop place.
    for dx in (1, 2, 3):
        page.mouse.move(goal["x"] + 20 + dx, goal["y"] + goal["height"] - 10)
        page.wait_for_timeout(60)
    page.mouse.up()


@pytest.mark.browser
def test_drag_by_mouse_and_keyboard_and_a_refused_move(new_page, demo):
    sprint = running_sprint_1(demo)
    page = new_page()
    login(page, demo.users["flywheel_lead"].email, demo.password)
    visit(page, f"/sprints/{sprint.id}/bord")
    expect(page.locator("#board-help")).to_be_visible()
    live = page.locator("#board-live")
    planned, doing = _column(page, "Gepland in sprint"), _column(page, "In uitvoering")

    # By mouse: the first idea from "planned" to "in progress".
    _drag(page, planned.locator(".board-card", has_text=IDEAS[0]), doing)
    expect(live).to_contain_text(f"“{IDEAS[0]}” staat nu op “In uitvoering”")
    expect(doing.locator(".board-card", has_text=IDEAS[0])).to_be_visible()
    expect(doing.locator(".board-card", has_text=IDEAS[0]).locator(".board-moved")).to_contain_text("Verplaatst door")
    assert _status(IDEAS[0]) == "in_progress"

    # By keyboard: the second idea, picked up with space, one column to the right, dropped with space.
    card = planned.locator(".board-card", has_text=IDEAS[1])
    card.focus()
    page.keyboard.press("Space")
    expect(live).to_contain_text("Opgenomen")
    page.keyboard.press("ArrowRight")
    expect(live).to_contain_text("kolom In uitvoering")
    page.keyboard.press("Space")
    expect(live).to_contain_text(f"“{IDEAS[1]}” staat nu op “In uitvoering”")
    assert _status(IDEAS[1]) == "in_progress"
    # It landed on top of the column; down one place within the column: the order is saved (and shown
    # again after a reload).
    titles = doing.locator(".board-card h3").all_inner_texts()
    assert titles[:2] == [IDEAS[1], IDEAS[0]], titles
    card = doing.locator(".board-card", has_text=IDEAS[1])
    card.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(live).to_contain_text("plaats 2 van 2")
    page.keyboard.press("Space")
    expect(live).to_contain_text("De volgorde is opgeslagen")
    page.reload()
    titles = _column(page, "In uitvoering").locator(".board-card h3").all_inner_texts()
    assert titles[:2] == [IDEAS[0], IDEAS[1]], titles

    # Refused: "Afgerond" before the forum's decision. The card snaps back and the reason is shown.
    doing = _column(page, "In uitvoering")
    card = doing.locator(".board-card", has_text=IDEAS[0])
    card.focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(live).to_contain_text("kolom Afgerond")
    page.keyboard.press("Space")
    alert = page.locator("#board-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("forum")
    expect(alert).to_contain_text("De kaart staat terug in In uitvoering")
    expect(doing.locator(".board-card", has_text=IDEAS[0])).to_be_visible()
    assert _status(IDEAS[0]) == "in_progress"
    # Escape cancels a pick-up without asking the server.
    card = doing.locator(".board-card", has_text=IDEAS[0])
    card.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    expect(live).to_contain_text("Verplaatsen geannuleerd")
    expect(doing.locator(".board-card", has_text=IDEAS[0])).to_be_visible()

    # A refused drag by mouse snaps back too.
    _drag(page, doing.locator(".board-card", has_text=IDEAS[0]), _column(page, "Afgerond"))
    expect(alert).to_contain_text("De kaart staat terug in In uitvoering")
    expect(doing.locator(".board-card", has_text=IDEAS[0])).to_be_visible()
    assert _status(IDEAS[0]) == "in_progress"

    ARTIFACTS.mkdir(exist_ok=True)
    visit(page, f"/sprints/{sprint.id}/bord?banen=bouwsteen")
    page.screenshot(path=str(ARTIFACTS / "board-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "board-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the board scrolls sideways"

    # The search finds the card from the school's search box.
    visit(page, f"/scholen/{demo.school.id}/zoeken?q=praatronde")
    expect(page.get_by_role("link", name=IDEAS[0])).to_be_visible()
    expect(page.locator(".search-snippet mark").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the search scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "search-desktop.png"), full_page=True)
