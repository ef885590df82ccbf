from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel


class CodeTable(AuditedModel):
    """A named list of codes (民族, 政治面貌, 集体类型 …), loaded from ``core/data/codes``."""

    key = models.SlugField(_("标识"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    standard = models.CharField(_("依据"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("代码表")
        verbose_name_plural = _("代码表")
        ordering = ["key"]

    def __str__(self):
        return self.name


class CodeItemQuerySet(models.QuerySet):
    def of(self, table_key: str):
        return self.filter(table__key=table_key, is_active=True)


class CodeItem(AuditedModel):
    table = models.ForeignKey(
        CodeTable, verbose_name=_("代码表"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    attrs = models.JSONField(_("属性"), default=dict, blank=True)

    objects = CodeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("代码项")
        verbose_name_plural = _("代码项")
        ordering = ["table", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="core_codeitem_unique_code")
        ]

    def __str__(self):
        return self.name

    @property
    def audit_parent(self):
        return self.table


class CodeNames:
    """Code-table names, loaded once per table for a page, an export or a document set."""

    def __init__(self):
        self._names: dict[str, dict[str, str]] = {}

    def name(self, table: str, code: str) -> str:
        if not code:
            return ""
        if table not in self._names:
            self._names[table] = dict(CodeItem.objects.of(table).values_list("code", "name"))
        return self._names[table].get(code, code)
