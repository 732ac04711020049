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
