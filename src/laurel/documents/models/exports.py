from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.jurisdiction import JurisdictionQuerySet

STALE_AFTER_SECONDS = 600  # a running job silent this long was interrupted


class ExportJob(models.Model):
    """A ZIP of documents built in the background; served only once complete."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(
        "campaigns.NominatingBody",
        verbose_name=_("推荐单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("不填为全部推荐单位。"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The requester's unit and roles when the ZIP was asked for: it is built with those rights
    # (full ID numbers, the departments' opinions), so it is served only while they hold.
    requested_as = models.CharField(_("发起时的单位和角色"), max_length=300, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("材料导出任务")
        verbose_name_plural = _("材料导出任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.campaign} {self.body or ''} {self.get_state_display()}"

    @staticmethod
    def standing_of(user) -> str:
        """The requester's unit and roles, as ``requested_as`` keeps them."""
        return f"{user.unit_id or ''}:{','.join(sorted(user.role_codes))}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def has_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def percent(self) -> int:
        return int(self.progress * 100 / self.total) if self.total else 0
