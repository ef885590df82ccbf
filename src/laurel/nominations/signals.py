"""Signals of the nominations app: the one extension mechanism of Laurel (docs/architecture.md).

Apps above nominations (public, evaluation) add what they know about a nominee without
nominations importing them.
"""

from django.dispatch import Signal

# Sent with ``nominee``; each receiver returns a list of problems (Chinese sentences) that keep
# the nominee from being submitted or moving up, [] when none.
procedure_problems = Signal()

# Sent with ``nominee`` at each agreement of a review tier; each receiver returns what holds
# the nominee there now (an objection still open), [] when none.
review_holds = Signal()

# Sent with ``user``; each receiver returns a Q of the nominees the user reads beyond the
# jurisdiction (the experts of an open panel read the full record of its nominees), or None.
nominee_readers = Signal()

# Sent with ``nominee`` and ``user`` for the full record page; each receiver returns a section
# ({"template": …, "context": …}) of what it knows about the nominee (the public notices it was
# on and their objections), or None. A receiver shows only what ``user`` may see.
record_sections = Signal()
