"""Signals of the campaigns app: the one extension mechanism of Laurel (docs/architecture.md).

Apps above campaigns (nominations) tell it what it cannot know itself."""

from django.dispatch import Signal

# Sent with ``quota``; each receiver returns how many of its places are taken (nominees that
# hold a place). A quota is never set below the largest answer.
places_in_use = Signal()

# Sent with ``campaign`` before it closes; each receiver returns a list of what is still
# unfinished there (a notice running, an objection open). A campaign closes only when none is.
unfinished_business = Signal()

# Sent with ``quota`` once its reserved sub-quotas changed (inside the transaction); each
# receiver returns a list of what the new reservations leave short: a reservation below the
# nominees of its area already holding a place, or the places outside the reservations below
# the nominees from elsewhere. The change is refused when any is returned.
reservation_shortfalls = Signal()

# Sent with ``body``; each receiver returns whether nominees (drafts too) hang on it: their
# jurisdiction and review route follow the body's area and unit, which a published plan then
# keeps.
body_in_use = Signal()
