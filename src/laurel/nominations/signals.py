"""Signals of the nominations app: the one extension mechanism of Laurel (docs/architecture.md).

Apps above nominations (public) add what they know about a nominee's procedure without
nominations importing them.
"""

from django.dispatch import Signal

# Sent with ``nominee``; each receiver returns a list of problems (Chinese sentences) that keep
# the nominee from being submitted or moving up, [] when none.
procedure_problems = Signal()
