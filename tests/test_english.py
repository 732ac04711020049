"""A person who switches to English sees every feature in English, and the catalogue compiles cleanly."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories_intake import make_agreement
from tests.factories_sprints import SprintCalendarFactory
from tests.factories_vision import EndorsementFactory, VisionFactory, VisionVersionFactory

ROOT = Path(__file__).resolve().parent.parent

# One page per feature, with an English text it must show (and its Dutch msgid it must not).
PAGES = [
    ("core", "/", "To do in your schools", "Te doen in je scholen"),
    ("intake", "/scholen/{school}/intake", "Signatories and signatures", "Ondertekenaars en handtekeningen"),
    ("sprints", "/scholen/{school}/sprints", "Sprints of Warme School A", "Sprints van Warme School A"),
    ("forum", "/scholen/{school}/forum", "Forum of Warme School A", "Forum van Warme School A"),
    ("vision", "/scholen/{school}/visie", "The vision of Warme School A", "De visie van Warme School A"),
    ("tracking", "/scholen/{school}/voortgang", "Progress of Warme School A", "Voortgang van Warme School A"),
    ("notifications", "/meldingen/voorkeuren", "Notification preferences", "Voorkeuren voor meldingen"),
    ("hooks", "/scholen/{school}/voortgang", "Current vision: version 1, endorsed by", "Huidige visie"),
]


@pytest.fixture
def english_adviser(world, auth):
    """The adviser of school A, with an agreement, a sprint calendar and an endorsed vision there, in English."""
    make_agreement(world, "active")
    SprintCalendarFactory(school=world.school)
    EndorsementFactory(version=VisionVersionFactory(vision=VisionFactory(school=world.school), number=1))
    client = auth.client_for(world.users["adviser"])
    assert client.post_form("/taal/en", {"next": "/"}).status_code == 302
    return client


@pytest.mark.parametrize(("feature", "url", "english", "dutch"), PAGES, ids=[p[0] for p in PAGES])
def test_a_page_of_each_feature_in_english(world, english_adviser, feature, url, english, dutch):
    response = english_adviser.get(url.format(school=world.school.id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert english in page and dutch not in page


def test_the_english_catalogue_is_complete_and_compiles(tmp_path):
    from babel.messages.pofile import read_po

    po = ROOT / "warmeveranderen/translations/en/LC_MESSAGES/messages.po"
    catalogue = read_po(po.open("rb"))
    missing = [m.id for m in catalogue if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                                       else [m.string]))]
    assert missing == []
    result = subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "compile", "-d", str(po.parents[2]),
         "-o", str(tmp_path / "messages.mo"), "-l", "en", "-i", str(po)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


def test_every_text_in_the_code_has_an_english_entry(tmp_path):
    """A new _("…") in a template or module must be added to messages.po (see the README's Development)."""
    from babel.messages.pofile import read_po

    pot = tmp_path / "fresh.pot"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
         "--ignore-dirs", ".* __pycache__ .venv tests benchmarks", "--no-location", "-o", str(pot), "."],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    catalogue = read_po((ROOT / "warmeveranderen/translations/en/LC_MESSAGES/messages.po").open("rb"))
    extracted = [m for m in read_po(pot.open("rb")) if m.id]
    assert len(extracted) > 500, "the extraction found too few texts: check babel.cfg"
    missing = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id not in catalogue)
    assert missing == [], "texts without an English entry in messages.po: " + "; ".join(missing)


def test_every_text_has_one_entry():
    """Branches that each add a text must not leave two entries (the compiler keeps only the last)."""
    import re
    from collections import Counter

    po = (ROOT / "warmeveranderen/translations/en/LC_MESSAGES/messages.po").read_text()
    ids = Counter(re.findall(r'^msgid ((?:".*"\n)+)', po, flags=re.M))
    assert [msgid for msgid, n in ids.items() if n > 1 and msgid != '""\n'] == []
