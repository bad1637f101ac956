from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """The one place where the site overrides allauth's behaviour."""

    def is_open_for_signup(self, request) -> bool:
        # Signup is open, but the form demands an enrolment key or an invitation (forms.py).
        return True

    def populate_username(self, request, user) -> None:
        # There is no username: email is the login.
        return None
