from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "laurel.evaluation"
    label = "evaluation"
    verbose_name = _("综合评审")

    def ready(self):
        from laurel.evaluation.queries import panel_readers
        from laurel.nominations.signals import nominee_readers

        nominee_readers.connect(panel_readers, dispatch_uid="evaluation-panel-readers")
        from laurel.evaluation.queries import not_approved_for_notice
        from laurel.public.signals import provincial_notice_problems

        provincial_notice_problems.connect(
            not_approved_for_notice, dispatch_uid="evaluation-provincial-notice"
        )
