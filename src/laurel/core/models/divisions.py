from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel


class DivisionQuerySet(models.QuerySet):
    def within(self, division):
        """``division`` and everything below it."""
        return self.filter(path__startswith=division.path)

    def full_names(self) -> dict:
        """``{division: full_name}`` for every division, from one query (``full_name`` on a
        single division walks its parents one query at a time)."""
        divisions = {d.pk: d for d in self.model._default_manager.all()}
        names = {}
        for division in divisions.values():
            parts, node = [], division
            while node is not None and node.level != self.model.Level.PROVINCE:
                parts.append(node.name)
                node = divisions.get(node.parent_id)
            names[division] = "".join(reversed(parts)) or division.name
        return names


class Division(AuditedModel):
    """An administrative division (行政区划) with its GB/T 2260 code.

    ``parent`` follows the line of administration that nominations and reviews travel along, which
    can differ from GB/T 2260: 梅河口市 (220581) is a county-level city coded under 通化市 but
    administered directly by the province. Functional zones such as 长白山管委会 have no GB/T 2260
    code; they carry a local code and ``is_standard=False``.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("市（州）级")
        COUNTY = "county", _("县（市、区）级")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_standard = models.BooleanField(_("GB/T 2260 标准代码"), default=True)
    directly_administered = models.BooleanField(
        _("省直管"),
        default=False,
        help_text=_("由省直接管理、单独作为推荐机构的地区（如梅河口市、长白山管委会）。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(max_length=200, db_index=True, editable=False)

    audit_exclude = ("path",)
    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    @property
    def full_name(self) -> str:
        """Name with the chain of parents below the province, e.g. 长春市南关区."""
        names = []
        node = self
        while node is not None and node.level != self.Level.PROVINCE:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names)) or self.name
