import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurel.core.text import escape
from laurel.pages.views import todo_count

# The menu: (label, URL name, the rules of which any one shows the entry; none: everyone).
MENU = [
    (_("待办事项"), "pages:inbox", ()),
    (_("评选表彰"), "campaigns:list", ("campaigns.list_campaigns",)),
    (_("推荐对象"), "nominations:list", ("nominations.list_nominees",)),
    (
        _("征求意见"),
        "nominations:clearance_list",
        (
            "nominations.view_overview",
            "campaigns.work_to_quota",
            "nominations.review_nominee",
            "nominations.give_clearance_opinion",
        ),
    ),
    (_("公示与异议"), "public:manage_list", ("public.list_notices",)),
    (_("综合评审"), "evaluation:home", ("evaluation.view_evaluation",)),
    (_("我的评审组"), "evaluation:my_panels", ("evaluation.sit_on_panel",)),
    (_("考核"), "evaluation:assess", ("evaluation.assess",)),
    (_("初选名单复审"), "evaluation:list_index", ("evaluation.decide_list",)),
    (_("表彰人员"), "registry:people", ("registry.search_people",)),
    (_("待遇"), "treatment:policies", ("treatment.view_policy",)),
    (_("困难帮扶"), "treatment:hardship_list", ("treatment.list_hardship",)),
    (_("动态管理"), "treatment:reviews", ("treatment.list_status_returns",)),
    (_("单位管理"), "orgs:unit_list", ("orgs.list_units",)),
    (_("用户管理"), "accounts:user_list", ("accounts.manage_users",)),
    (_("工作日历"), "core:calendar", ("core.manage_calendar",)),
    (_("审计日志"), "core:audit_log", ("core.view_audit_log",)),
    (_("参考数据"), "core:reference", ("core.view_reference",)),
]
MENU_SECONDS = 60  # as the badge
# Entries are cached by position: a deploy that changes the menu changes the keys too.
MENU_VERSION = hashlib.sha256(repr([n for _label, n, _rules in MENU]).encode()).hexdigest()[:8]


@functools.cache
def _menu_urls() -> tuple[str, ...]:
    """The menu's addresses, resolved once a process (they do not change while it runs)."""
    return tuple(reverse(name) for _label, name, _rules in MENU)


def _menu_entries(user) -> list[int]:
    """Which menu entries the user sees, kept a minute per user and per what decides it (roles,
    unit, superuser — the menu's rules are asked without an object, so nothing else counts): a
    change of role shows at once, and no page evaluates fifteen rules."""
    key = "laurel:menu:{}:{}:{}:{}:{}".format(
        MENU_VERSION,
        user.pk,
        ",".join(sorted(user.role_codes)),
        user.unit_id or "",
        int(user.is_superuser),
    )
    return cache.get_or_set(
        key,
        lambda: [
            index
            for index, (_label, _name, rules) in enumerate(MENU)
            if not rules or any(user.has_perm(rule) for rule in rules)
        ],
        MENU_SECONDS,
    )


def navigation(request):
    """The menu, by what the logged-in user may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"office_name": settings.LAUREL_OFFICE_NAME}
    urls = _menu_urls()
    current = request.path
    inbox = urls[0]
    # The badge: kept a minute per user, so that a page does not compute the whole inbox.
    # (none for htmx fragments, which show no menu).
    badge = (
        0
        if getattr(request, "htmx", False)
        else cache.get_or_set(f"laurel:todo-count:{user.pk}", lambda: todo_count(user), 60)
    )
    entries = _menu_entries(user)
    # The entry of the longest address the page lies under (/treatment/hardship/ is 困难帮扶,
    # not 待遇 as well).
    active = max(
        (index for index in entries if current.startswith(urls[index])),
        key=lambda index: len(urls[index]),
        default=None,
    )
    items = [
        {
            "label": MENU[index][0],
            "url": urls[index],
            "active": index == active,
            "badge": badge if urls[index] == inbox else 0,
        }
        for index in entries
    ]
    return {
        "office_name": settings.LAUREL_OFFICE_NAME,
        "nav_items": items,
        "nav_html": _nav_html(items),
    }


def _nav_html(items) -> str:
    """The menu's links, written with ``core.text.escape`` rather than a template loop: every
    page shows it (issue 22)."""
    html = []
    for item in items:
        current = ' class="active" aria-current="page"' if item["active"] else ""
        badge = ""
        if item["badge"]:
            count = escape(item["badge"])
            label = escape(gettext("%(n)s项待办") % {"n": item["badge"]})
            badge = (
                f' <span class="count" data-testid="todo-badge" aria-label="{label}">{count}</span>'
            )
        html.append(f'<a href="{escape(item["url"])}"{current}>{escape(item["label"])}{badge}</a>')
    return mark_safe("".join(html))  # every part escaped above
