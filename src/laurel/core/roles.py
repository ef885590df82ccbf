"""Roles and the scope of what each role sees (the jurisdiction)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    PROVINCIAL_OFFICE = "provincial_office", _("省级表彰工作办公室")
    NOMINATING_BODY = "nominating_body", _("评选推荐工作机构")
    NOMINATING_UNIT = "nominating_unit", _("推荐（登记）单位经办人")
    REVIEWING_DEPARTMENT = "reviewing_department", _("审核部门")
    CLEARANCE_DEPARTMENT = "clearance_department", _("征求意见部门")
    PANEL_EXPERT = "panel_expert", _("评审专家")
    ASSESSMENT_TEAM = "assessment_team", _("考核组成员")
    LEADING_GROUP = "leading_group", _("领导小组成员")


class Scope(models.TextChoices):
    PROVINCE = "province", _("全省")
    DIVISION = "division", _("本地区及下级")
    UNIT_TREE = "unit_tree", _("本单位及所属单位")
    OWN_UNIT = "own_unit", _("本单位")


# What a role sees by jurisdiction. Panel experts and assessment teams see their own unit here;
# the nominees assigned to them are granted by the evaluation app on top of this filter.
ROLE_SCOPES: dict[str, Scope] = {
    Role.SYSTEM_ADMIN: Scope.PROVINCE,
    Role.PROVINCIAL_OFFICE: Scope.PROVINCE,
    Role.LEADING_GROUP: Scope.PROVINCE,
    Role.NOMINATING_BODY: Scope.DIVISION,
    Role.REVIEWING_DEPARTMENT: Scope.DIVISION,
    Role.CLEARANCE_DEPARTMENT: Scope.DIVISION,
    Role.NOMINATING_UNIT: Scope.UNIT_TREE,
    Role.PANEL_EXPERT: Scope.OWN_UNIT,
    Role.ASSESSMENT_TEAM: Scope.OWN_UNIT,
}
