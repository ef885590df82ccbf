"""Reads about users shared by the apps above: who holds a role (to pick experts, to mail
reviewers). Which role may do what is decided by the rules, never here."""

from laurel.accounts.models import User
from laurel.core.roles import Role


def holders(role: str, **filters):
    """Active users holding ``role``."""
    return User.objects.filter(is_active=True, role_assignments__role=role, **filters).distinct()


def answers_clearance_in_laurel(unit_id) -> bool:
    """Whether a department has an officer who answers clearance requests in Laurel (else it
    answers on paper, recorded for it)."""
    return holders(Role.CLEARANCE_DEPARTMENT, unit_id=unit_id).exists()


def answers_review_in_laurel(unit_id) -> bool:
    """Whether a department has an officer who gives review opinions in Laurel."""
    return holders(Role.REVIEWING_DEPARTMENT, unit_id=unit_id).exists()


def signs_registrations_in_laurel(unit_id) -> bool:
    """Whether a unit has an officer who may sign a registration's opinion in Laurel (a
    reviewing department's, or a supervising unit's registrar)."""
    return (
        User.objects.filter(
            is_active=True,
            unit_id=unit_id,
            role_assignments__role__in=[
                Role.REVIEWING_DEPARTMENT,
                Role.NOMINATING_UNIT,
                Role.NOMINATING_BODY,
            ],
        )
        .distinct()
        .exists()
    )


def panel_experts():
    return holders(Role.PANEL_EXPERT).select_related("unit").order_by("full_name", "pk")


def _emails(role: str, unit_ids) -> list[str]:
    return list(
        holders(role, unit_id__in=list(unit_ids)).exclude(email="").values_list("email", flat=True)
    )


def reviewer_emails(unit_ids) -> list[str]:
    """The mail addresses of the reviewing officers of these departments."""
    return _emails(Role.REVIEWING_DEPARTMENT, unit_ids)


def registrar_emails(unit_ids) -> list[str]:
    """The mail addresses of the officers who register honorees for these units."""
    return _emails(Role.NOMINATING_UNIT, unit_ids) + _emails(Role.NOMINATING_BODY, unit_ids)


def organiser_emails(unit_ids) -> list[str]:
    """Who organises a unit's work (its registrars and nominating body, or the office there)."""
    return registrar_emails(unit_ids) + _emails(Role.PROVINCIAL_OFFICE, unit_ids)


def clearance_emails(unit_ids) -> list[str]:
    """The mail addresses of the officers who answer clearance requests for these departments."""
    return _emails(Role.CLEARANCE_DEPARTMENT, unit_ids)


def _role_emails(role: str) -> list[str]:
    return list(holders(role).exclude(email="").values_list("email", flat=True))


def assessor_emails() -> list[str]:
    """The mail addresses of the assessment team (考核组)."""
    return _role_emails(Role.ASSESSMENT_TEAM)


def leading_group_emails() -> list[str]:
    """The mail addresses of the leading group's members who have an account."""
    return _role_emails(Role.LEADING_GROUP)


def office_emails() -> list[str]:
    """The mail addresses of the provincial office's staff."""
    return _role_emails(Role.PROVINCIAL_OFFICE)
