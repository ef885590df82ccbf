from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "laurel.nominations"
    label = "nominations"
    verbose_name = _("推荐")

    def ready(self):
        # campaigns never sets a quota below the places nominees hold (C-4).
        from laurel.campaigns.signals import places_in_use

        from .queries import places_taken

        places_in_use.connect(places_taken, dispatch_uid="nominations-places")
        from laurel.campaigns.signals import reservation_shortfalls

        from .queries import reservation_shortfalls as shortfalls

        reservation_shortfalls.connect(shortfalls, dispatch_uid="nominations-reservations")
        from laurel.campaigns.signals import body_in_use

        from .queries import body_has_nominees

        body_in_use.connect(body_has_nominees, dispatch_uid="nominations-body")
        # orgs lets only the office move or deactivate a unit whose place routes clearance.
        from laurel.orgs.signals import routing_in_use

        from .queries import routing_in_use as answer

        routing_in_use.connect(answer, dispatch_uid="nominations-routing")
