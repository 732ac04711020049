"""Access rules of the foundation: accounts, home pages and the programme's structure."""

from tests.access import ALL, COORDINATOR, DIRECTOR, FLYWHEEL, LOGGED_IN, PROGRAMME, SCHOOL

RULES = {
    "core.home": {"GET": LOGGED_IN},
    "core.school_home": {"GET": SCHOOL},
    "core.switch_school": {"POST": SCHOOL, "data": lambda w: {"school_id": w.school.id}},
    "core.set_language": {"POST": ALL},
    "accounts.login": {"GET": ALL, "POST": ALL},
    "accounts.logout": {"POST": LOGGED_IN},
    "accounts.forgot_password": {"GET": ALL, "POST": ALL},
    "accounts.reset_password": {"GET": ALL, "POST": ALL},
    "accounts.accept_invitation": {"GET": ALL, "POST": ALL},
    "accounts.profile": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "accounts.change_password": {"POST": LOGGED_IN},
    # The invalid token of the matrix gives every logged-in person the "no longer valid" page (410);
    # a valid one only its addressee may accept (tests/test_invite_existing.py).
    "programme.accept_role": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "programme.overview": {"GET": PROGRAMME},
    "programme.cities": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.edit_city": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.delete_city": {"POST": COORDINATOR},
    "programme.networks": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.edit_network": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.delete_network": {"POST": COORDINATOR},
    # Network pages: the network's schools' people, its advisers and the coordinator.
    "programme.network": {"GET": SCHOOL},
    "programme.new_school": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.edit_school": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.people": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.adviser_assignments": {"GET": COORDINATOR, "POST": COORDINATOR},
    "programme.remove_assignment": {"POST": COORDINATOR},
    "programme.school_people": {"GET": SCHOOL, "POST": DIRECTOR | FLYWHEEL},
    "programme.remove_membership": {"POST": DIRECTOR},
    "programme.resend_invitation": {"POST": DIRECTOR},
    "programme.revoke_invitation_view": {"POST": DIRECTOR},
    "programme.toggle_lead": {"POST": DIRECTOR},
    # Single sign-on: the flow's pages are public (without a login in progress they send back to the
    # login page); the providers are the coordinator's; unlinking refuses anything but one's own link.
    "sso.start": {"GET": ALL},
    "sso.callback": {"GET": ALL},
    "sso.link": {"GET": ALL, "POST": ALL},
    "sso.unlink": {"POST": LOGGED_IN},
    "sso.providers": {"GET": COORDINATOR},
    # Personal API tokens: everyone's own (revoking another person's token is refused with a message).
    "tokens.create": {"POST": LOGGED_IN, "data": lambda w: {"tok-name": "Dashboard", "tok-scope": "read"}},
    "tokens.revoke": {"POST": LOGGED_IN},
    # People's own data: everyone downloads and deletes their own (the matrix's POST lacks the
    # confirmation, so it is refused with 422); the coordinator does it for someone on request.
    "privacy.download": {"GET": LOGGED_IN},
    "privacy.erase_self": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "privacy.erase_other": {"GET": COORDINATOR, "POST": COORDINATOR},
    "privacy.download_other": {"GET": COORDINATOR},
    "sso.edit_provider": {"GET": COORDINATOR, "POST": COORDINATOR},
    "notifications.index": {"GET": LOGGED_IN},
    # Only the person a notification is for (the flywheel member in the world) may open it.
    "notifications.open_notification": {"POST": frozenset({"flywheel"})},
    "notifications.mark_all_read": {"POST": LOGGED_IN},
}


def url_args(world) -> dict:
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.services import notify

    [notification] = notify(
        [world.users["flywheel"]], category="test", title="Test", url="/", school=world.school
    )
    from warmeveranderen.programme.people import invite

    invitation = invite(email="nieuw@school.example.org", name="Nieuw Lid", role="board",
                        invited_by=world.users["coordinator"], school=world.school)
    from warmeveranderen.accounts.models import OidcProvider, SsoIdentity

    # An issuer nobody listens on (port 9): starting a login is refused at once, without a network.
    provider = OidcProvider(name="Microsoft", issuer="http://127.0.0.1:9", client_id="x", email_domains="school.example.org")
    db.session.add(provider)
    db.session.flush()
    identity = SsoIdentity(provider_id=provider.id, subject="sub-flywheel", user_id=world.users["flywheel"].id)
    db.session.add(identity)
    db.session.commit()
    from warmeveranderen.accounts import api_tokens

    token, _secret = api_tokens.create(world.users["flywheel"], "Matrix", "read")
    db.session.commit()
    return {"notification_id": notification.id, "invitation_id": invitation.id, "provider_id": provider.id,
            "identity_id": identity.id, "token_id": token.id}
