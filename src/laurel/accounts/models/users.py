from django.contrib.auth.models import AbstractUser, UserManager, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel
from laurel.core.fields import EncryptedTextField
from laurel.core.jurisdiction import JurisdictionPaths, JurisdictionQuerySet
from laurel.core.roles import Role
from laurel.core.validators import validate_person_name


class LaurelUserManager(UserManager.from_queryset(JurisdictionQuerySet)):
    pass


class User(AuditedModel, AbstractUser):
    """A person who logs in: belongs to one unit and holds one or more roles."""

    full_name = models.CharField(_("姓名"), max_length=50, validators=[validate_person_name])
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)
    phone = EncryptedTextField(_("联系电话"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    directory_login = models.BooleanField(
        _("可用内网统一身份认证密码登录"),
        default=False,
        help_text=_(
            "启用内网目录（LDAP）登录时，仅勾选的账号可用目录中的同名账号密码登录；"
            "单位、角色仍以本系统为准。"
        ),
    )

    audit_exclude = ("last_login",)
    audit_mask = ("password", "phone")
    jurisdiction = JurisdictionPaths(
        unit_path="unit__path", unit_id="unit_id", division_path="unit__division__path"
    )
    objects = LaurelUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if self.pk is None:
                return frozenset()
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_codes", None)

    def has_perm(self, perm, obj=None):
        """Every "may X" is a named rule (laurel.core.permissions) that says who may, superusers
        included (as system administrators); Django's blanket pass for superusers would answer
        "yes" to rules that depend on an assignment or a state (vote on a closed panel)."""
        return self.is_active and _user_has_perm(self, perm, obj)

    @property
    def role_labels(self) -> list[str]:
        """The roles as the user reads them; a reviewing or clearance department's with the
        functions of its unit (审核部门（总工会）, not a fixed list of departments)."""
        labels = []
        for value, label in Role.choices:
            if value not in self.role_codes:
                continue
            if value in (Role.REVIEWING_DEPARTMENT, Role.CLEARANCE_DEPARTMENT) and self.unit:
                functions = "、".join(
                    str(f.get_function_display()) for f in self.unit.functions.all()
                )
                label = f"{label}（{functions}）" if functions else label
            labels.append(str(label))
        return labels


class UserRole(AuditedModel):
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=40, choices=Role.choices)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_userrole_unique")
        ]

    def __str__(self):
        return f"{self.user.username}：{self.get_role_display()}"

    @property
    def audit_parent(self):
        return self.user
