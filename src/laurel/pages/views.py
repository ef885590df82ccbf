"""The inbox: each domain contributes the part of it that concerns the user."""

import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from laurel.campaigns.views import quota_inbox_section
from laurel.core.http import paginate
from laurel.core.models import AuditLog
from laurel.evaluation.views.lists import lists_inbox_section
from laurel.evaluation.views.panels import office_evaluation_inbox_section, panels_inbox_section
from laurel.nominations.views.clearance import clearance_inbox_section
from laurel.nominations.views.nominees import drafts_inbox_section
from laurel.nominations.views.review import review_inbox_section
from laurel.public.views import objections_inbox_section
from laurel.registry.views.registrations import registrations_inbox_section
from laurel.treatment.hardship_views import hardship_inbox_section
from laurel.treatment.review_views import reviews_inbox_section

logger = logging.getLogger(__name__)

# In the order the inbox shows them.
SECTIONS = (
    drafts_inbox_section,  # a send-back first
    quota_inbox_section,
    clearance_inbox_section,
    review_inbox_section,
    objections_inbox_section,
    panels_inbox_section,
    office_evaluation_inbox_section,
    lists_inbox_section,
    registrations_inbox_section,
    hardship_inbox_section,
    reviews_inbox_section,
)


def sections_for(user) -> list[dict]:
    return [part for section in SECTIONS if (part := section(user))]


# Sections that inform rather than ask for work: not counted in the menu's badge.
INFORMATION = {quota_inbox_section}


def todo_count(user) -> int:
    """How many things wait for the user (the menu's badge): a section's own ``count`` where it
    gives one, else the rows of its lists and its numbers. Never breaks a page: a section that
    fails is logged and left out of the badge (the inbox itself shows the error)."""
    total = 0
    for section in SECTIONS:
        if section in INFORMATION:
            continue
        try:
            part = section(user)
        except Exception:
            logger.exception("inbox section %s failed while counting", section.__name__)
            continue
        if not part:
            continue
        context = part["context"]
        if "count" in context:
            total += int(context["count"])
            continue
        for value in context.values():
            if isinstance(value, int) and not isinstance(value, bool):
                total += value
            elif hasattr(value, "__len__") and not isinstance(value, str | dict):
                total += len(value)
    return total


@login_required
def inbox(request):
    """待办: what waits for the user, section by section ("nothing to do" only when nothing
    does). 已办 (``?tab=done``): what the user did, newest first, from the audit trail."""
    if request.GET.get("tab") == "done":
        done = (
            AuditLog.objects.filter(actor=request.user)
            .exclude(action=AuditLog.Action.VIEW)
            .select_related("content_type")
            .order_by("-timestamp", "-pk")
        )
        return render(request, "pages/inbox.html", {"tab": "done", "page": paginate(request, done)})
    return render(
        request, "pages/inbox.html", {"tab": "todo", "sections": sections_for(request.user)}
    )
