"""What evaluation tells the rest of the system, after the transaction commits.

The honoree registry listens: awards of a title that carries provincial-level treatment become
honours of the awardees, and a revoked award revokes the honour (issue 9). Receivers get ids
only, like tasks, and read the rows themselves."""

from django.dispatch import Signal

# award_ids: list[int] — awards just issued
awards_issued = Signal()
# award_id: int — an award just revoked
award_revoked = Signal()
