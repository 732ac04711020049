"""Programme pages on a phone (issue 16): tables scroll inside their box, the page never sideways."""

from __future__ import annotations

import pytest

from tests.browser.journey import person

PAGES = ["/programma/mensen", "/programma/opvolging", "/programma/rapport", "/programma/rapport?schooljaar=2018-2019"]


@pytest.mark.parametrize("path", PAGES)
def test_programme_pages_do_not_scroll_sideways_at_390_px(new_page, demo, path):
    page = person(new_page, demo, "coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(path)
    assert response is not None and response.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"{path} is {width} px wide at 390 px"


# An A4 page with 18 mm margins leaves about 658 CSS pixels for the content.
A4_CONTENT_PX = 658


@pytest.mark.parametrize("path", ["/programma/rapport", "/programma/opvolging"])
def test_printed_on_a4_every_table_keeps_its_right_hand_columns(new_page, demo, path):
    page = person(new_page, demo, "coordinator")
    page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
    page.emulate_media(media="print")
    page.goto(path)
    rights = page.evaluate("[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)")
    assert rights and max(rights) <= A4_CONTENT_PX + 1, f"{path}: a table ends at {max(rights):.0f} px"


def test_at_390_px_the_people_list_keeps_every_column_readable(new_page, demo):
    """The e-mail address goes under the name on a phone: as a column of its own it wrapped letter by letter."""
    page = person(new_page, demo, "coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/programma/mensen")
    widths = page.evaluate("[...document.querySelectorAll('main table td')].filter(td => td.offsetParent)"
                           ".map(td => td.getBoundingClientRect().width)")
    assert widths and min(widths) >= 100, widths
    assert page.get_by_text(demo.users["director"].email).first.is_visible()


def test_at_390_px_a_wide_tables_caption_stays_on_the_screen(new_page, demo):
    """Voortgang's tables scroll sideways in their box; their captions wrap to the visible width."""
    page = person(new_page, demo, "adviser")
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(f"/scholen/{demo.school.id}/voortgang")
    assert response is not None and response.status == 200
    rights = page.evaluate("[...document.querySelectorAll('.table-responsive caption')]"
                           ".map(c => c.getBoundingClientRect().right)")
    assert rights and max(rights) <= 390, rights
