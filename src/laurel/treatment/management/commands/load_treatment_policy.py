from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurel.core.definitions import DefinitionError
from laurel.treatment.services.policies import load_policy


class Command(BaseCommand):
    help = (
        "装载表彰人员待遇政策文件（YAML，格式见 docs/treatment-format.md），"
        "按施行日期分版本；可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("政策文件路径"))
        parser.add_argument("--dry-run", action="store_true", help=_("只显示将发生的变化，不保存"))

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("无法读取政策文件 %(file)s：%(error)s") % {"file": file, "error": error}
            ) from None
        try:
            result = load_policy(None, text, source=path.name, dry_run=dry_run)
        except DefinitionError as error:
            raise CommandError(
                _("政策文件 %(file)s 有%(count)d处问题，未保存任何内容：\n%(problems)s")
                % {"file": file, "count": len(error.problems), "problems": str(error)}
            ) from None
        self.stdout.write(_("试运行（未保存）：") if dry_run else _("已装载："))
        for line in result.changes:
            self.stdout.write(f"  {line}")
