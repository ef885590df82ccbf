from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from laurel.core.services.reference import load_code_tables, load_divisions


class Command(BaseCommand):
    help = "装载参考数据（行政区划、代码表）；可重复执行。"

    def handle(self, *args, **options):
        self.stdout.write(_("行政区划：%s") % load_divisions())
        self.stdout.write(_("代码表：%s") % load_code_tables())
