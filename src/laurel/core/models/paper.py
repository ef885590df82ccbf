"""Opinions received on paper (纸质意见): many departments answer with a sealed letter and have
no account. The office (or the body above) records such an opinion for them — signer, date,
conclusion and the scan of the letter — and it is shown as 纸质意见 with its scan, never as an
opinion given in Laurel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperOpinion(models.Model):
    on_paper = models.BooleanField(_("纸质意见"), default=False)
    scan_file = models.CharField(_("意见扫描件"), max_length=200, blank=True, editable=False)
    scan_type = models.CharField(_("扫描件类型"), max_length=50, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def scan_extension(self) -> str:
        return self.scan_file.rsplit(".", 1)[-1] if self.scan_file else ""
