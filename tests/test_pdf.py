"""The one PDF path (warmeveranderen/pdf.py) and the safe download names it shares with every export."""

import pytest

from warmeveranderen import pdf
from warmeveranderen.security import content_disposition, safe_filename


def test_safe_filename_strips_paths_controls_and_quotes():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename('a"b\r\nc.pdf') == "abc.pdf"
    assert safe_filename("") == "download"
    long = safe_filename("Verslag " + "x" * 500 + ".docx")
    assert len(long) == 120 and long.endswith(".docx")  # still opens with a double click


def test_content_disposition_keeps_dutch_names_and_an_ascii_fallback():
    value = content_disposition("Verslag stuurgroep – één.pdf")
    assert value.startswith('attachment; filename="Verslag stuurgroep  n.pdf"') or "filename=" in value
    assert "filename*=UTF-8''Verslag%20stuurgroep%20%E2%80%93%20%C3%A9%C3%A9n.pdf" in value
    assert "\n" not in value and "\r" not in value


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint/Pango missing on this machine")
def test_html_to_pdf_makes_a_pdf_and_fetches_nothing_from_the_network(app):
    with app.test_request_context("/"):
        data = pdf.html_to_pdf('<h1>Agenda</h1><img src="https://example.org/x.png">'
                               '<link rel="stylesheet" href="/static/css/app.css">')
    assert data.startswith(b"%PDF")
