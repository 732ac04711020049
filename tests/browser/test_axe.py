"""axe-core on every page type for every role: no violations of impact serious or critical.

The pages are listed in tests/browser/pages.py; add an entry there to check a new page. A case
marked axe=False (the same template, with the same controls, as another role's case) is left to
the console check only.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import visit
from tests.browser.pages import PAGES

BLOCKING = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page) -> list[str]:
    """axe's violations of impact serious or critical, one line per element: rule, impact, target."""
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}): {target} — {violation['help']}")
    return lines


@pytest.mark.browser
@pytest.mark.parametrize("case", [case for case in PAGES if case.axe], ids=lambda c: c.id)
def test_page_has_no_serious_accessibility_violations(case, page_as, shared_demo):
    page = page_as(case.role)
    case.open(page, shared_demo)
    found = blocking_violations(page)
    assert not found, f"{case.id} at {page.url}:\n" + "\n".join(found)


@pytest.mark.browser
def test_axe_reports_a_real_violation(page_as):
    """The check itself works: an image without a text alternative is caught with its target."""
    page = page_as("forum")
    visit(page, "/")
    page.evaluate("""() => {
      const img = document.createElement('img');
      img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; img.id = 'no-alt';
      document.querySelector('main').appendChild(img);
    }""")
    found = blocking_violations(page)
    assert any(line.startswith("image-alt (critical): #no-alt") for line in found), found
