"""Working inside an initiative as a flywheel would: attach a PDF and a photo, discuss it with an
@mention chosen from the suggestions (keyboard only), the mentioned colleague is told, reads it, and
the author sees who read it. Another school's director gets 404 for the file's address."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, visit
from tests.browser.journey import person, to_school
from tests.files_helpers import PDF_BYTES, png_bytes
from warmeveranderen.extensions import db
from warmeveranderen.files.models import Attachment
from warmeveranderen.sprints.models import Initiative

TITLE = "Vaste aanspreekpunten op de speelplaats"  # a demo initiative without files or comments


def open_initiative(page, demo) -> None:
    to_school(page, demo)
    page.goto(f"/scholen/{demo.school.id}/backlog")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


@pytest.mark.browser
def test_attach_discuss_mention_and_read(new_page, demo, tmp_path):
    pdf, photo = tmp_path / "Plan speelplaats.pdf", tmp_path / "Speelplaats.png"
    pdf.write_bytes(PDF_BYTES)
    photo.write_bytes(png_bytes())

    lead = person(new_page, demo, "flywheel_lead")
    open_initiative(lead, demo)
    files = lead.get_by_role("region", name="Bijlagen")
    for path in (pdf, photo):
        files.get_by_label("Bestand toevoegen").set_input_files(str(path))
        files.get_by_role("button", name="Bijlage toevoegen").click()
        expect(lead.get_by_role("status")).to_contain_text(f"“{path.name}” staat bij de bijlagen.")
    files = lead.get_by_role("region", name="Bijlagen")
    expect(files.get_by_role("link", name="Plan speelplaats.pdf")).to_be_visible()
    expect(files.get_by_role("img", name="Voorbeeld van Speelplaats.png")).to_be_visible()

    member = demo.users["flywheel"].name
    box = lead.get_by_label("Reactie", exact=True)
    box.focus()
    lead.keyboard.type("Wie staat er op maandag? @" + member[:3])
    expect(lead.get_by_role("listbox", name="Mensen van de school").get_by_role("option", name=member)).to_be_visible()
    lead.keyboard.press("Enter")
    lead.keyboard.type("kijk je even naar het plan?")
    expect(box).to_have_value(f"Wie staat er op maandag? @{member} kijk je even naar het plan?")
    lead.get_by_role("button", name="Reageren").click()
    discussion = lead.get_by_role("region", name="Discussie")
    expect(discussion).to_contain_text("kijk je even naar het plan?")
    expect(discussion).to_contain_text(f"Vermeld: {member}")
    expect(discussion).to_contain_text("Nog door niemand anders gelezen")

    colleague = person(new_page, demo, "flywheel")
    colleague.goto("/meldingen")
    colleague.get_by_role("main").get_by_text(f"noemde je bij “{TITLE}”").first.wait_for()
    open_initiative(colleague, demo)
    colleague.get_by_role("button", name="Markeer als gelezen").click()

    lead.reload()
    expect(lead.get_by_role("region", name="Discussie")).to_contain_text(f"Gelezen door {member}")

    initiative_id = db.session.scalar(db.select(Initiative.id).where(Initiative.title == TITLE))
    attachment_id = db.session.scalar(db.select(Attachment.id).where(Attachment.parent_id == initiative_id)
                                      .order_by(Attachment.id).limit(1))
    from tests.factories import PASSWORD, MembershipFactory
    from warmeveranderen.programme.models import School

    stranger = MembershipFactory(school=db.session.get(School, demo.other_school.id), role="director").user
    db.session.commit()
    outsider = new_page()
    login(outsider, stranger.email, PASSWORD)
    visit(outsider, f"/bijlagen/{attachment_id}", status=404)
