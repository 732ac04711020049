"""Intake agreements out and in: per school the agreement's state, the version read first, its amounts,
start, duration, evaluation moments and the dates it was signed and ended.

Re-importing an export changes nothing. An import never changes an agreement that exists (its text is
frozen and signed in the app): a row that differs from it is refused, naming the columns. For a school
without an agreement, a row in state "draft" opens the intake with those figures (as *Intake openen*
would, with the programme's terms); signed agreements cannot be imported (their signatures belong in the app).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.exchange.common import ExchangeResult, day, words
from warmeveranderen.extensions import db
from warmeveranderen.forms_common import parse_decimal
from warmeveranderen.intake.models import DRAFT, AgreementVersion, EvaluationMoment, IntakeAgreement
from warmeveranderen.intake.services import open_intake
from warmeveranderen.intake.terms import current_terms, matched_amount
from warmeveranderen.programme.models import School
from warmeveranderen.tracking.tabular import Column

COLUMNS = [
    Column("school", _l("School")), Column("state", _l("Stand")), Column("version", _l("Versie")),
    Column("own_investment", _l("Eigen inbreng (euro)")), Column("matched_amount", _l("Matching programma (euro)")),
    Column("price_per_year", _l("Prijs per schooljaar (euro)")), Column("matching_ratio", _l("Matchingsratio")),
    Column("matching_cap", _l("Plafond matching (euro, leeg: geen)")), Column("start_date", _l("Start")),
    Column("duration_years", _l("Duur (schooljaren)")), Column("evaluation_moments", _l("Evaluatiemomenten")),
    Column("signed_on", _l("Van kracht sinds")), Column("ended_on", _l("Beëindigd op")),
]
REQUIRED = ["school", "state", "own_investment", "start_date"]
AMOUNTS = ("own_investment", "matched_amount", "price_per_year", "matching_ratio", "matching_cap")


def _row(agreement: IntakeAgreement) -> list:
    v: AgreementVersion = agreement.current
    moments = ",".join(sorted(m.on_date.isoformat() for m in v.evaluation_moments))
    return [agreement.school.name, agreement.state, v.number, v.own_investment, v.matched_amount, v.price_per_year,
            v.matching_ratio, v.matching_cap, v.start_date, v.duration_years, moments,
            v.activated_at.date() if v.activated_at else None, agreement.ended_on]


def _agreements() -> list[IntakeAgreement]:
    agreements = db.session.scalars(
        db.select(IntakeAgreement).join(School, School.id == IntakeAgreement.school_id)
        .options(selectinload(IntakeAgreement.school),
                 selectinload(IntakeAgreement.versions).selectinload(AgreementVersion.evaluation_moments))
        .order_by(School.name)
    ).all()
    return [a for a in agreements if a.current is not None]


def export_rows() -> list[list]:
    return [_row(a) for a in _agreements()]


def _normal(key: str, value) -> str:
    """A cell as the comparison sees it: amounts as numbers, dates as ISO text, the rest as text."""
    if value is None or value == "":
        return ""
    if key in AMOUNTS:
        try:
            return str(parse_decimal(str(value)).normalize())
        except ValueError:
            return str(value)
    if key == "evaluation_moments":
        return ",".join(sorted(d.strip() for d in str(value).replace(";", ",").split(",") if d.strip()))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).split())


def import_rows(rows: list[dict[str, str]], by: User | None) -> ExchangeResult:
    result = ExchangeResult()
    existing = {a.school.name.lower(): a for a in _agreements()}
    schools = {s.name.lower(): s for s in db.session.scalars(db.select(School))}
    terms = current_terms()
    clean = []
    for number, row in enumerate(rows, start=2):
        reasons: list[str] = []
        name = words(row, "school")
        school = schools.get(name.lower())
        if school is None:
            result.refused.append((number, _("school '%(value)s' bestaat niet", value=name)))
            continue
        agreement = existing.get(name.lower())
        if agreement is not None:
            current = dict(zip([c.name for c in COLUMNS], _row(agreement), strict=True))
            differ = [c.name for c in COLUMNS
                      if c.name in row and _normal(c.name, row[c.name]) != _normal(c.name, current[c.name])]
            if differ:
                reasons.append(_("wijkt af van de overeenkomst in de app (%(columns)s); een overeenkomst wijzig je in de "
                                 "app, niet met een import", columns=", ".join(differ)))
            else:
                clean.append(None)
        else:
            clean.append(_new_draft(row, school, terms, reasons))
        if reasons:
            result.refused.append((number, "; ".join(reasons)))
    if result.refused:
        return result
    for draft in clean:
        if draft is None:
            result.unchanged += 1
            continue
        school, own, start, duration, moments = draft
        version = open_intake(school, by).current
        version.own_investment = own
        version.matched_amount = matched_amount(own, version.matching_ratio, version.matching_cap)
        version.start_date = start
        version.duration_years = duration
        if moments is not None:  # as the draft form does: keep the dates that stay, add the others
            version.evaluation_moments = [m for m in version.evaluation_moments if m.on_date in moments]
            have = {m.on_date for m in version.evaluation_moments}
            version.evaluation_moments.extend(EvaluationMoment(on_date=d) for d in moments if d not in have)
        result.created += 1
    db.session.flush()
    return result


def _new_draft(row: dict, school: School, terms, reasons: list[str]):
    """The figures of a row that opens a school's intake, or None with the reasons why not."""
    if words(row, "state").lower() not in (DRAFT, "concept"):
        reasons.append(_("alleen een concept kan ingelezen worden: ondertekenen gebeurt in de app"))
        return None
    if words(row, "version") not in ("", "1") or words(row, "signed_on") or words(row, "ended_on"):
        reasons.append(_("een nieuw concept is versie 1, niet ondertekend en niet beëindigd"))
    try:
        own = parse_decimal(words(row, "own_investment") or "0")
        if own < 0 or own > Decimal("10000000"):
            raise ValueError(own)
    except ValueError:
        reasons.append(_("eigen inbreng '%(value)s' is geen bedrag", value=words(row, "own_investment")))
        own = Decimal("0")
    for key, expected in (("price_per_year", terms.price_per_year), ("matching_ratio", terms.matching_ratio),
                          ("matching_cap", terms.matching_cap)):
        if words(row, key) and _normal(key, row[key]) != _normal(key, expected):
            reasons.append(_("%(column)s wijkt af van de programmavoorwaarden (%(value)s)", column=key,
                             value=_normal(key, expected) or "—"))
    computed = matched_amount(own, terms.matching_ratio, terms.matching_cap)
    if words(row, "matched_amount") and _normal("matched_amount", row["matched_amount"]) != _normal("matched_amount", computed):
        reasons.append(_("de matching volgt uit de eigen inbreng: %(value)s", value=computed))
    start = day(row, "start_date", reasons)
    if start is None and not reasons:
        reasons.append(_("een start (JJJJ-MM-DD) is verplicht"))
    duration_text = words(row, "duration_years")
    duration = int(duration_text) if duration_text.isdigit() else None
    if duration_text and (duration is None or not 1 <= duration <= 10):
        reasons.append(_("duur '%(value)s' is geen aantal schooljaren (1 tot 10)", value=duration_text))
    moments = None
    if words(row, "evaluation_moments"):
        typed = _normal("evaluation_moments", row["evaluation_moments"]).split(",")
        moments = sorted({day({"d": d}, "d", reasons) for d in typed} - {None})
    if reasons:
        return None
    return school, own, start, duration or terms.school_years, moments
