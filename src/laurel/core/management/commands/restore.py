from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from laurel.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传的文件；现有数据将被替换（docs/backup.md）。"

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup 命令生成的 .tar 文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接替换现有数据")

    def handle(self, *args, **options):
        source = Path(options["source"])
        try:
            manifest = read_manifest(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not options["yes"]:
            answer = input(
                _("将用 %(created)s 的备份替换现有全部数据，输入 yes 继续：")
                % {"created": manifest["created"]}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，没有改动任何数据。"))
        try:
            restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("已恢复 %(created)s 的备份：%(tables)d 张表的行数与备份一致。")
            % {"created": manifest["created"], "tables": len(manifest["tables"])}
        )
