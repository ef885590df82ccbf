from django.shortcuts import redirect
from django.urls import reverse

# Set in the session of a login through the intranet directory (laurel.accounts.ldap): the
# password lives in the directory, so there is no local one to change first.
DIRECTORY_SESSION_KEY = "laurel_directory_login"


class ForcePasswordChangeMiddleware:
    """Users whose password was set by an administrator must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            # logged in with the directory's password: there is no local one to change (while
            # the account still logs in through the directory: unticked, the local one counts)
            and not (request.session.get(DIRECTORY_SESSION_KEY) and user.directory_login)
        ):
            allowed = {reverse("accounts:password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
