from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from laurel.pages.views import todo_count


def navigation(request):
    """The menu, by what the logged-in user may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"office_name": settings.LAUREL_OFFICE_NAME}
    items = [
        (_("待办事项"), reverse("pages:inbox"), True),
        (_("评选表彰"), reverse("campaigns:list"), user.has_perm("campaigns.list_campaigns")),
        (_("推荐对象"), reverse("nominations:list"), user.has_perm("nominations.list_nominees")),
        (
            _("征求意见"),
            reverse("nominations:clearance_list"),
            user.has_perm("nominations.view_overview")
            or user.has_perm("campaigns.work_to_quota")
            or user.has_perm("nominations.review_nominee")
            or user.has_perm("nominations.give_clearance_opinion"),
        ),
        (
            _("公示与异议"),
            reverse("public:manage_list"),
            user.has_perm("public.list_notices"),
        ),
        (
            _("综合评审"),
            reverse("evaluation:home"),
            user.has_perm("evaluation.view_evaluation"),
        ),
        (
            _("我的评审组"),
            reverse("evaluation:my_panels"),
            user.has_perm("evaluation.sit_on_panel"),
        ),
        (_("考核"), reverse("evaluation:assess"), user.has_perm("evaluation.assess")),
        (
            _("初选名单复审"),
            reverse("evaluation:list_index"),
            user.has_perm("evaluation.decide_list"),
        ),
        (_("表彰人员"), reverse("registry:people"), user.has_perm("registry.search_people")),
        (_("单位管理"), reverse("orgs:unit_list"), user.has_perm("orgs.list_units")),
        (_("用户管理"), reverse("accounts:user_list"), user.has_perm("accounts.manage_users")),
        (_("工作日历"), reverse("core:calendar"), user.has_perm("core.manage_calendar")),
        (_("审计日志"), reverse("core:audit_log"), user.has_perm("core.view_audit_log")),
        (_("参考数据"), reverse("core:reference"), user.has_perm("core.view_reference")),
    ]
    current = request.path
    inbox = reverse("pages:inbox")
    # The badge: kept a minute per user, so that a page does not compute the whole inbox.
    # (none for htmx fragments, which show no menu).
    badge = (
        0
        if getattr(request, "htmx", False)
        else cache.get_or_set(f"laurel:todo-count:{user.pk}", lambda: todo_count(user), 60)
    )
    return {
        "office_name": settings.LAUREL_OFFICE_NAME,
        "nav_items": [
            {
                "label": label,
                "url": url,
                "active": current.startswith(url),
                "badge": badge if url == inbox else 0,
            }
            for label, url, allowed in items
            if allowed
        ],
    }
