from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "完整备份：数据库和上传的文件（照片、证明材料）写入一个 .tar 文件（docs/backup.md）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="备份文件路径；默认 var/backups/laurel-<时间>.tar",
        )

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            folder = Path(settings.VAR_DIR) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            output = folder / f"laurel-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        try:
            manifest = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _("已备份到 %(path)s：%(tables)d 张表，共 %(rows)d 行。")
            % {"path": output, "tables": len(manifest["tables"]), "rows": rows}
        )
