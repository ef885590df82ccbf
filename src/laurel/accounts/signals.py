"""Signals of the accounts app: the one extension mechanism of Laurel (docs/architecture.md).

Apps above accounts (the API) hold credentials of their own that must follow the account."""

from django.dispatch import Signal

# Sent with ``user`` and ``reason`` when what the user may use changes: the password was reset
# or changed, the account was deactivated, a role was taken away. Receivers drop credentials
# issued before (the API's tokens).
credentials_changed = Signal()
