from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurel.campaigns.services.definitions import DefinitionError, load_definition


class Command(BaseCommand):
    help = "装载评选表彰活动定义文件（YAML，格式见 docs/campaign-format.md）；可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("定义文件路径"))
        parser.add_argument("--dry-run", action="store_true", help=_("只显示将发生的变化，不保存"))

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("无法读取定义文件 %(file)s：%(error)s") % {"file": file, "error": error}
            ) from None
        try:
            result = load_definition(None, text, source=path.name, dry_run=dry_run)
        except DefinitionError as error:
            raise CommandError(
                _("定义文件 %(file)s 有%(count)d处问题，未保存任何内容：\n%(problems)s")
                % {"file": file, "count": len(error.problems), "problems": str(error)}
            ) from None
        header = _("试运行（未保存）") if dry_run else _("已装载")
        self.stdout.write(f"{header}：{result.campaign.name}")
        if not result.changes:
            self.stdout.write(_("没有变化。"))
        for line in result.changes:
            self.stdout.write(f"  {line}")
