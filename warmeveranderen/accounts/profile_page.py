"""The profile page with all its parts: details and language, password, single sign-on, API tokens.

Each form's view answers with this page (again with what was typed, or the new token's secret)."""

from flask_login import current_user

from warmeveranderen import uow
from warmeveranderen.accounts import api_tokens, sso_services
from warmeveranderen.accounts.forms import ChangePasswordForm, ProfileForm
from warmeveranderen.accounts.forms_sso import RevokeTokenForm, TokenForm, UnlinkForm


def profile_page(*, form=None, password_form=None, failed=None, token_form=None, new_secret=None):
    form = form or ProfileForm(obj=current_user, formdata=None)
    return uow.form_page(
        "accounts/profile.html", form, failed=failed,
        password_form=password_form or ChangePasswordForm(prefix="pw", formdata=None),
        sso_identities=sso_services.identities(current_user), unlink_form=UnlinkForm(),
        api_tokens=api_tokens.active_tokens(current_user), token_form=token_form or TokenForm(prefix="tok"),
        revoke_token_form=RevokeTokenForm(), new_secret=new_secret, token_scopes=api_tokens.SCOPES,
    )
