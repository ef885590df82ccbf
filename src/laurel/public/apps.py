from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "laurel.public"
    label = "public"
    verbose_name = _("公示与异议")

    def ready(self):
        # A nominee goes up only after its unit notice has run (C-8 step 1): nominations asks,
        # through its signal, the apps above it for what still stands in the way.
        from laurel.nominations.signals import procedure_problems

        from .services.notices import notice_problems_receiver

        procedure_problems.connect(notice_problems_receiver, dispatch_uid="public-notices")
        from laurel.nominations.signals import review_holds

        from .services.notices import open_objection_receiver

        review_holds.connect(open_objection_receiver, dispatch_uid="public-objections")
        from laurel.nominations.signals import record_sections

        from .queries import record_section

        record_sections.connect(record_section, dispatch_uid="public-record")
        # A campaign closes only when its notices have run and its objections are concluded.
        from laurel.campaigns.signals import unfinished_business

        from .queries import unfinished_business as answer

        unfinished_business.connect(answer, dispatch_uid="public-unfinished")
