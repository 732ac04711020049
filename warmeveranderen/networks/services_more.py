"""Writes of self-scans (start, answer, a gap to the backlog) and of the expertise network's inventory.

Services flush, never commit; refusals raise NetworkError.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BUILDING_BLOCKS, HEALTH_LEVELS, HEALTH_STRATEGIES, LONG_TEXT_MAX, SHORT_TEXT_MAX
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.networks.catalogue import GAP_MAX, SCAN_KINDS, SCAN_SCALE
from warmeveranderen.networks.models_more import Partner, PartnerOffer, SelfScan, SelfScanAnswer
from warmeveranderen.networks.services import NetworkError, check_text
from warmeveranderen.programme.models import School, WarmCity
from warmeveranderen.security import is_safe_link
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.models import BasketItem, Initiative
from warmeveranderen.timeutil import utcnow

# --- self-scans --------------------------------------------------------------------------------------------


def start_scan(school: School, kind: str, user: User) -> SelfScan:
    if kind not in SCAN_KINDS:
        raise NetworkError(_("Kies een zelfscan."), "kind")
    scan = SelfScan(school_id=school.id, kind=kind, started_by_id=user.id)
    db.session.add(scan)
    db.session.flush()
    return scan


def save_answers(scan: SelfScan, answers: dict[str, tuple[int | None, str]], *, complete: bool) -> None:
    """Store each question's score and note; `complete` closes the scan (every question needs a score)."""
    kind = SCAN_KINDS[scan.kind]
    if scan.completed_at is not None:
        raise NetworkError(_("Deze zelfscan is afgerond; start een nieuwe om te vergelijken."))
    for question in kind.questions:
        score, note = answers.get(question.code, (None, ""))
        if score is not None and score not in SCAN_SCALE:
            raise NetworkError(_("Kies een score op de schaal."), f"score_{question.code}")
        note = (note or "").strip()
        check_text(note, SHORT_TEXT_MAX, f"note_{question.code}")
        row = scan.answer_for(question.code)
        if row is None:
            row = SelfScanAnswer(question=question.code)
            scan.answers.append(row)
        row.score, row.note = score, note
    if complete:
        missing = [q for q in kind.questions if scan.answer_for(q.code).score is None]
        if missing:
            raise NetworkError(_("Geef elke vraag een score voor je de zelfscan afrondt (nog %(n)s open).",
                                 n=len(missing)))
        scan.completed_at = utcnow()
    db.session.flush()


def gap_to_backlog(scan: SelfScan, code: str, user: User) -> Initiative:
    """A gap (score 1 or 2) becomes an idea on the school's backlog, with the scan's note; once per answer."""
    kind = SCAN_KINDS[scan.kind]
    question = kind.question(code)
    answer = scan.answer_for(code) if question else None
    if answer is None or answer.score is None or answer.score > GAP_MAX:
        raise NetworkError(_("Alleen een werkpunt (score 1 of 2) gaat naar de backlog."))
    if answer.initiative_id is not None:
        raise NetworkError(_("Dit werkpunt staat al op de backlog."))
    text = str(question.text)
    title = text if len(text) <= 200 else text[:197].rstrip() + "…"
    description = "\n\n".join(part for part in [
        _("Werkpunt uit de zelfscan %(scan)s van %(date)s: score %(score)s.", scan=str(kind.title),
          date=format_day(scan.created_at), score=str(SCAN_SCALE[answer.score])),
        answer.note,
    ] if part)
    initiative = sprints.create_initiative(scan.school, {
        "title": title, "description": description, "building_block": question.building_block,
        "health_level": question.health_level, "health_strategy": question.health_strategy,
    }, user)
    answer.initiative_id = initiative.id
    db.session.flush()
    return initiative


# --- the expertise network ---------------------------------------------------------------------------------


def save_partner(programme_id: int, data: dict, partner: Partner | None = None) -> Partner:
    """Create or edit a partner, with the warm cities it serves and the basket items it provides."""
    name = (data.get("name") or "").strip()
    if not name:
        raise NetworkError(_("Geef de partner een naam."), "name")
    check_text(name, 160, "name", single_line=True)
    offer = (data.get("offer") or "").strip()
    if not offer:
        raise NetworkError(_("Beschrijf wat de partner aanbiedt."), "offer")
    check_text(offer, LONG_TEXT_MAX, "offer")
    commitments = (data.get("commitments") or "").strip()
    check_text(commitments, SHORT_TEXT_MAX, "commitments")
    website = (data.get("website") or "").strip()
    if website and not (is_safe_link(website) and website.startswith(("https://", "http://"))):
        raise NetworkError(_("Een website begint met https://."), "website")
    blocks = [b for b in data.get("building_blocks") or [] if b]
    if any(b not in BUILDING_BLOCKS for b in blocks):
        raise NetworkError(_("Kies alleen bouwstenen uit de lijst."), "building_blocks")
    cells = [c for c in data.get("health_cells") or [] if c]
    for cell in cells:
        level, _sep, strategy = cell.partition(":")
        if level not in HEALTH_LEVELS or strategy not in HEALTH_STRATEGIES:
            raise NetworkError(_("Kies een geldige cel van de gezondheidsmatrix."), "health_cells")
    duplicate = db.session.scalar(db.select(Partner.id).where(
        Partner.programme_id == programme_id, Partner.name == name,
        Partner.id != (partner.id if partner else -1)))
    if duplicate is not None:
        raise NetworkError(_("Er is al een partner met die naam."), "name")
    if partner is None:
        partner = Partner(programme_id=programme_id)
        db.session.add(partner)
    partner.name, partner.offer, partner.commitments = name, offer, commitments
    partner.contact, partner.website = (data.get("contact") or "").strip(), website
    partner.building_blocks, partner.health_cells = blocks, cells
    partner.everywhere, partner.active = bool(data.get("everywhere")), bool(data.get("active", True))
    city_ids = set(data.get("cities") or [])
    partner.cities = db.session.scalars(db.select(WarmCity).where(
        WarmCity.id.in_(city_ids or {-1}), WarmCity.programme_id == programme_id)).all()
    db.session.flush()
    _set_offers(partner, set(data.get("basket_items") or []))
    return partner


def _set_offers(partner: Partner, item_ids: set[int]) -> None:
    """The basket items this partner provides; an item named by another partner moves to this one."""
    items = db.session.scalars(db.select(BasketItem.id).where(
        BasketItem.id.in_(item_ids or {-1}), BasketItem.programme_id == partner.programme_id)).all()
    for offer in list(partner.offers):
        if offer.basket_item_id not in items:
            partner.offers.remove(offer)
    have = {o.basket_item_id for o in partner.offers}
    db.session.flush()
    for item_id in set(items) - have:
        db.session.execute(db.delete(PartnerOffer).where(PartnerOffer.basket_item_id == item_id))
        try:
            with db.session.begin_nested():
                partner.offers.append(PartnerOffer(basket_item_id=item_id))
                db.session.flush()
        except IntegrityError:
            raise NetworkError(_("Dit aanbod werd net aan een andere partner gekoppeld; probeer opnieuw.")) from None
