"""Signals of the orgs app: the one extension mechanism of Laurel (docs/architecture.md).

Apps above orgs (nominations) tell it what it cannot know itself."""

from django.dispatch import Signal

# Sent with ``unit``; each receiver returns True when where the unit sits (its division, its
# parent) or whether it is active decides the routing of records still in play: the clearance
# departments of its nominees, the requests waiting for it. Such a unit is moved or deactivated
# by who may set unit functions (the office), never by a nominating body.
routing_in_use = Signal()
