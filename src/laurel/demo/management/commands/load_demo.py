from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from laurel.demo import accounts as accounts_demo
from laurel.demo import campaigns as campaigns_demo
from laurel.demo import evaluation as evaluation_demo
from laurel.demo import nominations as nominations_demo
from laurel.demo import orgs as orgs_demo
from laurel.demo import registry as registry_demo
from laurel.demo import treatment as treatment_demo


class Command(BaseCommand):
    help = (
        "装载演示数据（合成单位、各角色演示账号、示例活动和推荐对象）；可重复执行。"
        "先运行 load_reference。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--into-production",
            action="store_true",
            help="在生产配置下也装载（演示账号的密码是公开的，仅供试用环境）。",
        )
        parser.add_argument(
            "--without-finished-round",
            action="store_true",
            help="不装载已完成评选表彰的一轮（261个推荐对象，约需15秒），供浏览器测试使用。",
        )

    def handle(self, *args, **options):
        if settings.LAUREL_PRODUCTION and not options["into_production"]:
            raise CommandError(
                _(
                    "生产配置下不装载演示数据：演示账号的密码是公开的。"
                    "确需在试用环境装载，请明确加上 --into-production。"
                )
            )
        # Notifications that loading the demo would send are not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._load(finished_round=not options["without_finished_round"])

    @transaction.atomic
    def _load(self, finished_round: bool):
        units = orgs_demo.load()
        users = accounts_demo.load(units)
        campaigns = campaigns_demo.load()
        nominees = nominations_demo.load()
        if finished_round:
            finished = evaluation_demo.load()
            if finished is not None:
                campaigns.append(finished)
        drive = registry_demo.load()
        treatment_demo.load()
        self.stdout.write(
            _(
                "演示数据：单位%(units)d个，账号%(users)d个，评选表彰活动%(campaigns)d个，"
                "推荐对象%(nominees)d个，表彰人员登记表%(registrations)d份。"
            )
            % {
                "units": len(units),
                "users": len(users),
                "campaigns": len(campaigns),
                "nominees": len(nominees),
                "registrations": drive.registrations.count() if drive else 0,
            }
        )
