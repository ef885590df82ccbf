import rules

from laurel.accounts.predicates import (
    has_role,
    is_active_user,
    is_provincial_office,
    is_system_admin,
)
from laurel.accounts.roles import Role


@rules.predicate
def campaign_visible(user, campaign):
    from laurel.campaigns.models import Campaign

    return (
        campaign is not None and Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists()
    )


rules.add_perm("campaigns.list_campaigns", is_active_user)
rules.add_perm("campaigns.view_campaign", is_active_user & campaign_visible)
rules.add_perm("campaigns.manage_campaigns", is_system_admin | is_provincial_office)
rules.add_perm(
    "campaigns.view_dashboard",
    is_system_admin | is_provincial_office | (is_active_user & has_role(Role.LEADING_GROUP)),
)
