from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from laurel.accounts.models import User
from laurel.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "列出演示账号及密码。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="服务地址（主机:端口），打印登录网址用"
        )

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.select_related("unit")}
        self.stdout.write("")
        self.stdout.write(
            _("Laurel 演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write("")
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            roles = "、".join(user.role_labels)
            self.stdout.write(
                f"  {account.username:<18} {roles:<16} {user.full_name} · {user.unit}"
            )
        self.stdout.write("")
        self.stdout.write(
            _("打开 http://%(address)s/ 登录；公众页面：http://%(address)s/public/")
            % {"address": options["address"]}
        )
