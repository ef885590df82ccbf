"""Who may do what with treatment (H-7): the permission vocabulary of this app."""

from django.utils.translation import gettext_lazy as _

from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import is_active_user, is_office, is_reviewing_department
from laurel.treatment.models import Entitlement

OFFICE_ONLY = _("只有省级表彰工作办公室可以进行此项操作。")

# The policy is the office's to set: every number in it (the seeds give none).
rule("treatment.manage_policy", is_office, refused=OFFICE_ONLY)
rule("treatment.view_policy", is_office | is_reviewing_department)
# Recomputing one person's entitlements by hand (the registry's changes do it themselves).
rule("treatment.refresh_entitlements", is_office, refused=OFFICE_ONLY)
# Entitlements: whoever may see the person, within the same jurisdiction filter.
object_rule("treatment.view_entitlement", Entitlement, "view", role=is_active_user)
rule("treatment.view_entitlements", is_office | is_reviewing_department)
