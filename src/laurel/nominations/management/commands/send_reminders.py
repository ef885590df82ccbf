from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from laurel.nominations.tasks import send_clearance_reminders, send_review_reminders
from laurel.registry.tasks import send_registry_reminders
from laurel.treatment.tasks import send_status_review_reminders


class Command(BaseCommand):
    help = (
        "每日提醒：征求意见、逐级审核、表彰人员登记和动态管理即将到期（由定时任务每天调用一次）。"
    )

    def handle(self, *args, **options):
        for task in (
            send_clearance_reminders,
            send_review_reminders,
            send_registry_reminders,
            send_status_review_reminders,
        ):
            result = task.enqueue()
            self.stdout.write(
                _("已排队：%(task)s（%(id)s）") % {"task": task.name, "id": result.id}
            )
