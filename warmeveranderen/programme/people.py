"""People in a school: inviting someone into a school role, and the flywheel's one trekker.

Accounts know nothing of schools: an invitation into a school adds the Membership here and leaves
the account and the mail to `warmeveranderen.accounts.services`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from warmeveranderen.accounts import services as accounts
from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.domain import ADVISER, COORDINATOR, FLYWHEEL, FORUM, SCHOOL_ROLE_PERSONS, SCHOOL_ROLES
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.timeutil import utcnow


def make_lead(membership: Membership) -> None:
    """Make this flywheel member the trekker: the flywheel has one, so the new one takes over."""
    for other in membership.school.memberships:
        if other.role == FLYWHEEL and other is not membership:
            other.is_lead = False
    membership.is_lead = True


def invite(
    *,
    email: str,
    name: str,
    role: str,
    invited_by: User | None,
    school: School | None = None,
    is_lead: bool = False,
    stakeholder_group: str | None = None,
) -> Invitation:
    """Give a person a role (creating their account if needed) and mail them: a school role here,
    a programme role (coordinator, adviser) through `accounts.invite`."""
    if role not in SCHOOL_ROLES:
        return accounts.invite(email=email, name=name, role=role, invited_by=invited_by)
    user = accounts.get_user_by_email(email)
    # Every refusal comes before anything is added to the session, so nothing is half-saved.
    if school is None:
        raise accounts.AccountError(_("Kies een school voor deze rol."))
    if role == FORUM and not stakeholder_group:
        raise accounts.AccountError(_("Kies de stakeholdergroep van dit forumlid."))
    if user is not None and user.membership(school, role) is not None:
        raise accounts.AccountError(_("%(name)s heeft deze rol al in deze school.", name=user.name))
    stakeholder_group = stakeholder_group if role == FORUM else None
    is_lead = is_lead and role == FLYWHEEL
    if user is not None and user.has_joined and not (invited_by and invited_by.is_coordinator):
        # Someone with an account, added by a school's director or flywheel: the role starts when they
        # accept, like a new person's. Until then the school sees only the name the inviter typed, so
        # adding an email address never reveals who has an account (and their name).
        invitation = accounts.send_invitation(
            user, role=role, role_label=SCHOOL_ROLES[role], invited_by=invited_by, school=school,
            is_lead=is_lead, stakeholder_group=stakeholder_group, to_accept=True,
        )
        invitation.name = " ".join(name.split()) or invitation.email
        return invitation
    if user is None:
        user = accounts.new_invitee(email, name)
    membership = Membership(user=user, school=school, role=role, is_lead=False, stakeholder_group=stakeholder_group)
    db.session.add(membership)
    if is_lead:
        make_lead(membership)
    return accounts.send_invitation(user, role=role, role_label=SCHOOL_ROLE_PERSONS[role], invited_by=invited_by,
                                    school=school, is_lead=is_lead, stakeholder_group=stakeholder_group)


def accept_role(invitation: Invitation, user: User) -> Membership:
    """The invited person (already with an account) accepts a school role: the membership starts."""
    school = invitation.school
    if school is None or invitation.role not in SCHOOL_ROLES:
        raise accounts.AccountError(_("Deze uitnodiging is ingetrokken."))
    membership = user.membership(school, invitation.role)
    if membership is None:
        membership = Membership(user=user, school=school, role=invitation.role, is_lead=False,
                                stakeholder_group=invitation.stakeholder_group)
        db.session.add(membership)
    if invitation.is_lead:
        make_lead(membership)
    invitation.accepted_at = utcnow()
    db.session.flush()
    return membership


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an open invitation; the role it offered goes with it while the person has not yet
    chosen a password (so they can be invited again)."""
    if not invitation.is_open:
        raise accounts.AccountError(_("Deze uitnodiging is al aanvaard of ingetrokken."))
    invitation.revoked_at = utcnow()
    user = accounts.get_user_by_email(invitation.email)
    if user is not None and not user.has_joined:
        if invitation.school is not None:
            membership = user.membership(invitation.school, invitation.role)
            if membership is not None:
                db.session.delete(membership)
        elif invitation.role == COORDINATOR:
            user.is_coordinator = False
        elif invitation.role == ADVISER:
            user.is_adviser = False
    db.session.flush()
