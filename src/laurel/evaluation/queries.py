"""Reads of the provincial evaluation shared by pages, documents and the API: the pool a panel
reviews, conflicts of interest, the tally and the differential bound (C-8 step 3), the C-10
shares of a list, certificate verification."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.campaigns.models import Quota
from laurel.campaigns.queries import is_running
from laurel.core.predicates import is_panel_expert
from laurel.evaluation.models import (
    Award,
    ListEntry,
    Panel,
    PanelResult,
    PreliminaryList,
    Recusal,
    Vote,
)
from laurel.nominations.eligibility import COUNTERS
from laurel.nominations.models import Nominee
from laurel.public.models import NoticeEntry, Objection, PublicNotice


def pool(panel: Panel):
    """The nominees a panel reviews: received, rechecked eligible, in its category (a run-off:
    the tied nominees it was formed for)."""
    nominees = Nominee.objects.filter(
        campaign=panel.campaign,
        category=panel.category,
        state=Nominee.State.RECEIVED,
        recheck__eligible=True,
    )
    if panel.runoff_of_id:
        nominees = nominees.filter(pk__in=panel.runoff_nominees.values("pk"))
    return nominees.select_related("nominating_unit", "body__unit", "body__division")


def missed_review(campaign, panel: Panel | None = None) -> list[Nominee]:
    """Nominees rechecked eligible after their category's panel closed (a deadline extended for
    their body, a late recheck): the panel never judged them, its tally is never recounted, so
    they cannot become assessment candidates — the office must see them and decide. Of one
    closed panel when given."""
    panels = Panel.objects.filter(campaign=campaign, state=Panel.State.CLOSED, runoff_of=None)
    if panel is not None:
        panels = panels.filter(pk=panel.pk)
    missed = []
    for closed in panels.select_related("campaign", "category"):
        judged = closed.results.values("nominee_id")
        missed.extend(pool(closed).exclude(pk__in=judged).order_by("body__sort_order", "rank"))
    return missed


def missed_review_count(campaign) -> int:
    """How many :func:`missed_review` names in ``campaign``, in one query (the office's inbox)."""
    closed = Panel.objects.filter(campaign=campaign, state=Panel.State.CLOSED, runoff_of=None)
    judged = PanelResult.objects.filter(
        panel__in=closed, panel__category=OuterRef("category"), nominee=OuterRef("pk")
    )
    return (
        Nominee.objects.filter(
            campaign=campaign,
            state=Nominee.State.RECEIVED,
            recheck__eligible=True,
            category__in=closed.values("category"),
        )
        .exclude(Exists(judged))
        .count()
    )


def panel_readers(sender, user, **kwargs) -> Q | None:
    """``nominations.signals.nominee_readers``: the experts of an open panel read the full
    record of the nominees it reviews (read-only; personal data stays masked for them)."""
    if not is_panel_expert.test(user):
        return None
    readable: set[int] = set()
    for panel in Panel.objects.filter(members__expert=user, state=Panel.State.OPEN):
        if not is_running(panel.campaign):
            continue
        readable |= {n.pk for n in to_judge(panel, user)}
    return Q(pk__in=readable) if readable else None


def to_judge(panel: Panel, expert) -> list[Nominee]:
    """The nominees of ``panel`` the expert judges: its pool without those the expert is
    recused from, declared or by conflict of interest (the same unit's line, the body)."""
    recused = set(
        Recusal.objects.filter(panel=panel, expert=expert).values_list("nominee_id", flat=True)
    )
    return [n for n in pool(panel) if n.pk not in recused and not conflict(expert, n)]


def votes_to_cast(panel: Panel, expert) -> int:
    """How many of the nominees the expert judges still have no vote of theirs."""
    voted = set(
        Vote.objects.filter(panel=panel, expert=expert).values_list("nominee_id", flat=True)
    )
    return sum(1 for n in to_judge(panel, expert) if n.pk not in voted)


def conflict(expert, nominee: Nominee) -> str | None:
    """Why an expert must not vote on a nominee: same unit (or one above the other), the
    expert belongs to the nominee's nominating body, or the expert's unit reviewed the nominee
    at the county or city tier."""
    unit = expert.unit
    if unit is None:
        return None
    own = nominee.nominating_unit
    if unit.path.startswith(own.path) or own.path.startswith(unit.path):
        return _("与推荐对象属同一单位或上下级单位")
    body_unit = nominee.body.unit
    if body_unit is not None and unit.path.startswith(body_unit.path):
        return _("属于推荐对象的推荐单位")
    # The county and city departments that reviewed and passed the nominee up answer for it;
    # the province's own review departments (they sign every nominee) are not barred by this.
    if nominee.review_opinions.filter(department=unit, tier__in=("county", "city")).exists():
        return _("所在单位参与了该推荐对象的县级或市级审核")
    return None


def assessor_conflict(assessor, nominee: Nominee) -> str | None:
    """Why an assessor must not assess a nominee: the assessor sits in the nominee's own
    nominating unit (or a unit under it). Unlike an expert's, a unit above the nominee's is no
    bar: the assessment teams come from the organising departments by the plan."""
    unit = assessor.unit
    if unit is None or not unit.path.startswith(nominee.nominating_unit.path):
        return None
    return _("与推荐对象属同一单位")


@dataclass
class TallyRow:
    nominee: Nominee
    approvals: int
    voters: int
    recused: int
    mean_rank: float | None
    passed: bool
    tied: bool = False
    position: int = 0
    judges: int | None = None

    @property
    def share(self) -> Fraction:
        """Approvals as a share of the experts who may judge the nominee: an expert who must
        stand aside costs the nominee nothing (a tally stored before ``judges`` was kept
        stood by approvals alone, and keeps that standing)."""
        if self.judges is None:
            return Fraction(self.approvals)
        return Fraction(self.approvals, self.judges) if self.judges else Fraction(0)

    @property
    def base(self) -> int:
        """What the approvals are counted out of, as printed (赞成/应评; a tally stored before
        ``judges`` was kept: 赞成/投票)."""
        return self.voters if self.judges is None else self.judges


def of_judges(rows: list[TallyRow]) -> bool:
    """The tally counts approvals out of the experts who may judge (every row stored since
    ``judges`` was kept), rather than out of the votes cast: the header to print."""
    return all(row.judges is not None for row in rows)


def required_approvals(ratio: Decimal, voters: int) -> int:
    """Approvals needed among ``voters``. The ratio is stored to three decimals (0.667 for
    two thirds), so the product is rounded to a tenth before rounding up: 0.667 × 3 → 2,
    0.667 × 30 → 20, 0.5 × 3 → 2."""
    product = (Decimal(ratio) * voters).quantize(Decimal("0.1"))
    return math.ceil(product)


def bound(panel: Panel) -> int:
    """C-8 step 3: candidates ≤ received ÷ (1 + differential ratio); for a closed panel, the
    bound written in its minutes when it closed."""
    if "bound" in panel.minutes:
        return panel.minutes["bound"]
    received = pool(panel).count()
    return math.floor(Decimal(received) / (1 + panel.campaign.differential_ratio))


def tally(panel: Panel) -> list[TallyRow]:
    """The closed panel's tally as stored when it closed (never recomputed: nominees leave the
    pool once awarded, votes must not move)."""
    if panel.state != Panel.State.CLOSED:
        raise ValidationError(_("评审结束前不公开计票结果。"))
    return [
        TallyRow(
            nominee=r.nominee,
            approvals=r.approvals,
            voters=r.voters,
            recused=r.recused,
            mean_rank=r.mean_rank,
            passed=r.passed,
            tied=r.tied,
            position=r.position,
            judges=r.judges,
        )
        for r in panel.results.select_related("nominee__nominating_unit").order_by("position")
    ]


def count_votes(panel: Panel) -> list[TallyRow]:
    """Approvals per nominee, ranked by their share of the experts who may judge it; equal
    neighbours are flagged as ties. The pass ratio is
    of the experts who took part in the vote (cast any ballot; the quorum counts them) and may
    judge the nominee (not recused from it): one who took part but left the nominee out counts
    as not approving, so abstaining never helps a nominee more than a vote against; a member
    who never voted does not count; a recused expert's vote is not counted. Counted once, when
    the panel closes (``services.panels.close_panel``)."""
    members = set(panel.members.values_list("expert_id", flat=True)) & set(
        panel.votes.values_list("expert_id", flat=True)
    )
    rows = []
    for nominee in pool(panel):
        recused = set(panel.recusals.filter(nominee=nominee).values_list("expert_id", flat=True))
        votes = [v for v in panel.votes.filter(nominee=nominee) if v.expert_id not in recused]
        judges = len(members - recused)
        approvals = sum(v.approve for v in votes)
        ranks = [v.rank for v in votes if v.rank]
        rows.append(
            TallyRow(
                nominee=nominee,
                approvals=approvals,
                voters=len(votes),
                recused=len(recused),
                mean_rank=sum(ranks) / len(ranks) if ranks else None,
                passed=bool(votes) and approvals >= required_approvals(panel.pass_ratio, judges),
                judges=judges,
            )
        )
    rows.sort(
        key=lambda r: (-r.share, r.mean_rank if r.mean_rank is not None else 1e9, r.nominee.pk)
    )
    for before, after in itertools.pairwise(rows):
        if before.passed and after.passed and _standing(before) == _standing(after):
            before.tied = after.tied = True
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


def _standing(row: TallyRow) -> tuple:
    return (row.share, row.mean_rank)


def tie_groups(rows: list[TallyRow]) -> list[list[TallyRow]]:
    """Runs of passed neighbours with the same approvals and mean rank (two or more); one who
    did not pass is never tied with one who did, whatever their approvals."""
    return [g for g in standing_groups(rows) if len(g) > 1]


def standing_groups(rows: list[TallyRow]) -> list[list[TallyRow]]:
    """The passed rows in tally order, grouped by equal standing (a group of one is a row no
    other passed row equals)."""
    groups: list[list[TallyRow]] = []
    for row in rows:
        if not row.passed:
            continue
        if groups and _standing(groups[-1][0]) == _standing(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def runoff_order(panel: Panel, group: set[int]) -> tuple[list[set[int]], int]:
    """The order of a group of nominees the panel left equal, as its closed run-offs decided
    it, in the order they were held: a run-off among exactly the names still level splits them
    by its own standing; one among others than a level set decides nothing here. Returns the
    ranked sets (a set of two or more: still level) and how many run-offs counted."""
    order = [set(group)]
    counted = 0
    runoffs = panel.runoffs.filter(state=Panel.State.CLOSED).order_by("closed_at", "pk")
    for runoff in runoffs:
        among = set(runoff.runoff_nominees.values_list("pk", flat=True))
        if among not in order or len(among) < 2:
            continue
        split: list[set[int]] = []
        last = None
        for row in tally(runoff):
            if row.nominee.pk not in among:
                continue
            if split and _standing(row) == last:
                split[-1].add(row.nominee.pk)
            else:
                split.append({row.nominee.pk})
            last = _standing(row)
        at = order.index(among)
        order[at : at + 1] = split
        counted += 1
    return order, counted


@dataclass
class RatioCheck:
    key: str
    text: str
    count: int
    base: int
    max_ratio: float

    @property
    def limit(self) -> int:
        return math.floor(self.base * self.max_ratio + 1e-9)

    @property
    def ok(self) -> bool:
        return self.count <= self.limit

    def __str__(self):
        return _("%(text)s：%(count)d人，基数%(base)d，上限%(limit)d人") % {
            "text": self.text,
            "count": self.count,
            "base": self.base,
            "limit": self.limit,
        }


def ratio_checks(campaign, category, nominees) -> list[RatioCheck]:
    """C-10 with the numbers: the "in principle" shares of the campaign on this list."""

    checks = []
    for limit in campaign.ratio_limits:
        counter = COUNTERS.get(limit.get("counts", ""))
        if counter is None or (limit.get("category") and limit["category"] != category.key):
            continue
        if limit["base"] == "awards":
            base = category.award_count
        else:
            base = sum(q.places for q in Quota.objects.filter(category=category))
        count = sum(1 for n in nominees if counter(n))
        checks.append(RatioCheck(limit["key"], limit["text"], count, base, limit["max_ratio"]))
    return checks


def provincial_notice_missing(campaign) -> list[str]:
    """C-8 step 5: every name on the lists has been on a provincial notice that has ended,
    and no objection against it is still open."""
    today = timezone.localdate()
    missing = []
    for entry in listed_for_award(campaign).select_related("nominee"):
        noticed = (
            NoticeEntry.objects.filter(
                nominee=entry.nominee,
                notice__level=PublicNotice.Level.PROVINCE,
                notice__ends_on__lt=today,
            )
            .exclude(notice__state=PublicNotice.State.CANCELLED)
            .exists()
        )
        open_objection = entry.nominee.objections.filter(state__in=Objection.OPEN_STATES).exists()
        if not noticed or open_objection:
            missing.append(entry.nominee.name)
    return missing


def not_approved_for_notice(sender, campaign, nominees, **kwargs) -> list[str]:
    """``public.signals.provincial_notice_problems``: a provincial notice shows only names on a
    list the leading group approved, still listed for award (C-8 steps 4-5)."""
    approved = set(
        listed_for_award(campaign)
        .filter(list__state=PreliminaryList.State.APPROVED, nominee__in=nominees)
        .values_list("nominee_id", flat=True)
    )
    names = [n.name for n in nominees if n.pk not in approved]
    if not names:
        return []
    return [
        _("以下对象不在经领导小组复审同意的初选名单上，不能列入省级公示：%s") % "、".join(names)
    ]


def listed_for_award(campaign):
    """The entries of the campaign's lists whose nominee may still be commended: received at
    the province and still an assessment candidate — not withdrawn by a founded objection (C-8
    step 5, C-11: no substitute), nor dropped when the candidates were chosen again."""
    return ListEntry.objects.filter(
        list__campaign=campaign,
        nominee__state__in=[Nominee.State.RECEIVED, Nominee.State.AWARDED],
        nominee__candidacy__isnull=False,
    )


def provincial_notice_end(campaign):
    """The last day of the provincial notice of the names still listed for award, or None."""
    return (
        NoticeEntry.objects.filter(
            nominee__in=listed_for_award(campaign).values("nominee"),
            notice__level=PublicNotice.Level.PROVINCE,
        )
        .exclude(notice__state=PublicNotice.State.CANCELLED)
        .order_by("-notice__ends_on")
        .values_list("notice__ends_on", flat=True)
        .first()
    )


def normalize_certificate_number(number: str) -> str:
    """A certificate number as people type it off paper: full-width digits made half-width,
    spaces and dashes between groups dropped (２０１９ 0031 0001 → 201900310001)."""
    return re.sub(r"[\s\-‐‑–—－]", "", unicodedata.normalize("NFKC", number or ""))


def verify_certificate(number: str, name: str) -> tuple[str, object]:
    """Public check: ("valid" | "revoked" | "unknown", award or None). The name must match."""
    award = (
        Award.objects.filter(certificate_number=normalize_certificate_number(number))
        .select_related("nominee__category", "nominee__campaign")
        .first()
    )
    if award is None or award.nominee.name != (name or "").strip():
        return "unknown", None
    return award.state, award
