"""Who may do what with units (the permission vocabulary: laurel.core.permissions)."""

from django.utils.translation import gettext_lazy as _

from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import is_active_user, is_nominating_body, is_office
from laurel.orgs.models import Unit

rule("orgs.list_units", is_active_user)
object_rule("orgs.view_unit", Unit, "view", role=is_active_user)
# Nominating bodies keep the units of their own area (e.g. an enterprise that nominates).
rule("orgs.add_unit", is_office | is_nominating_body, refused=_("您没有新增单位的权限。"))
object_rule(
    "orgs.change_unit",
    Unit,
    "change",
    role=is_office | is_nominating_body,
    refused=_("您没有修改该单位的权限。"),
)
# Province-wide: any division, any parent unit.
rule("orgs.place_unit_anywhere", is_office, refused=_("只能在本地区范围内维护单位。"))
# A unit's functions route clearance requests and reviews to it (C-9): the office sets them.
rule(
    "orgs.set_unit_functions",
    is_office,
    refused=_("单位职能决定征求意见和审核的承办部门，只有省级表彰工作办公室可以修改。"),
)
