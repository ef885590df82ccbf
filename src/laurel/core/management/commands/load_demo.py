from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from laurel.accounts import demo as accounts_demo
from laurel.campaigns import demo as campaigns_demo
from laurel.nominations import demo as nominations_demo
from laurel.orgs import demo as orgs_demo


class Command(BaseCommand):
    help = (
        "装载演示数据（合成单位、各角色演示账号、示例活动和推荐对象）；可重复执行。"
        "先运行 load_reference。"
    )

    def handle(self, *args, **options):
        # Notifications that loading the demo would send are not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._load()

    @transaction.atomic
    def _load(self):
        units = orgs_demo.load()
        users = accounts_demo.load(units)
        campaigns = campaigns_demo.load()
        nominees = nominations_demo.load()
        self.stdout.write(
            _(
                "演示数据：单位%(units)d个，账号%(users)d个，评选表彰活动%(campaigns)d个，推荐对象%(nominees)d个。"
            )
            % {
                "units": len(units),
                "users": len(users),
                "campaigns": len(campaigns),
                "nominees": len(nominees),
            }
        )
