"""API representations. Personal data follows the same rules as the pages: masked unless the
user may see it; classified people de-sensitised (registry.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from laurel.campaigns.models import AwardCategory, Campaign, Quota
from laurel.nominations.models import Nominee
from laurel.nominations.queries import personal_data
from laurel.registry.models import Honour, Person
from laurel.registry.privacy import HIDDEN, shown
from laurel.treatment.models import Entitlement, Payment


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardCategory
        fields = ["id", "key", "kind", "name", "honour_title", "award_count", "bonus_amount"]


class CampaignSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "slug", "name", "year", "status", "differential_ratio", "categories"]


class QuotaSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name")
    body_id = serializers.IntegerField()
    category = serializers.CharField(source="category.key")

    class Meta:
        model = Quota
        fields = ["id", "body_id", "body", "category", "places"]


class NomineeSerializer(serializers.ModelSerializer):
    """Read: the nominee with its state; ID number and mobile masked unless allowed."""

    category = serializers.CharField(source="category.key")
    body = serializers.CharField(source="body.name")
    id_number = serializers.SerializerMethodField()
    mobile = serializers.SerializerMethodField()

    class Meta:
        model = Nominee
        fields = [
            "id",
            "campaign",
            "category",
            "body",
            "kind",
            "name",
            "state",
            "review_tier",
            "rank",
            "work_unit_name",
            "position_rank",
            "id_number",
            "mobile",
        ]

    def _full(self, nominee) -> bool:
        return self.context["request"].user.has_perm("nominations.view_personal_data", nominee)

    def get_id_number(self, nominee) -> str:
        return personal_data(nominee, self._full(nominee)).id_number

    def get_mobile(self, nominee) -> str:
        return personal_data(nominee, self._full(nominee)).mobile


class NomineeCreateSerializer(serializers.Serializer):
    """Write: a draft nominee (the same service and checks as the form)."""

    campaign = serializers.IntegerField()
    category = serializers.CharField(
        max_length=60, help_text=_("类别标识，如 individual / collective")
    )
    nominating_unit = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=100)
    gender = serializers.ChoiceField(choices=["1", "2"], required=False)
    # Room for a pasted spelling ("220102 19730404 2041"); stored normalised to 18 characters.
    id_number = serializers.CharField(max_length=30, required=False)
    work_unit_name = serializers.CharField(max_length=100, required=False)
    position_rank = serializers.CharField(max_length=100, required=False)
    mobile = serializers.CharField(max_length=30, required=False)
    deeds = serializers.CharField(max_length=5000, required=False)


class HonourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Honour
        fields = [
            "id",
            "title",
            "level",
            "kind",
            "awarding_body",
            "document_number",
            "awarded_on",
            "treatment",
            "status",
        ]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()
    desensitised = serializers.SerializerMethodField()
    honours = HonourSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "gender",
            "unit_name",
            "division",
            "retired",
            "living",
            "desensitised",
            "honours",
        ]

    def _shown(self, person):
        cache = self.context.setdefault("_shown", {})
        if person.pk not in cache:
            cache[person.pk] = shown(self.context["request"].user, person)
        return cache[person.pk]

    def get_name(self, person) -> str:
        return self._shown(person).name

    def get_id_number(self, person) -> str:
        return self._shown(person).id_number

    def get_unit_name(self, person) -> str:
        return self._shown(person).unit_name

    def get_desensitised(self, person) -> bool:
        return self._shown(person).desensitised

    def to_representation(self, person):
        data = super().to_representation(person)
        if self._shown(person).desensitised:  # nothing that narrows a classified person down
            data.update(gender=None, division=None, retired=None)
            for honour in data["honours"]:
                honour.update(awarding_body="", document_number="", awarded_on=None)
        return data


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("汇总表（.xlsx），格式同页面下载的模板"))
    dry_run = serializers.BooleanField(default=False, help_text=_("只检查，不保存"))


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    people = serializers.IntegerField()
    merges = serializers.ListField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField())


class EntitlementSerializer(serializers.ModelSerializer):
    """An entitlement (H-7) with its person as the user may see them: a classified person
    (H-6) without name or honour to anyone but the office."""

    person_name = serializers.SerializerMethodField()
    honour_title = serializers.SerializerMethodField()
    treatment = serializers.CharField(source="treatment.key")
    treatment_name = serializers.CharField(source="treatment.name")
    period = serializers.CharField(source="treatment.period")
    payer = serializers.CharField(source="treatment.payer")
    policy_effective_from = serializers.DateField(source="treatment.policy.effective_from")

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "person",
            "person_name",
            "honour_title",
            "treatment",
            "treatment_name",
            "amount",
            "period",
            "payer",
            "starts_on",
            "ends_on",
            "end_reason",
            "policy_effective_from",
        ]

    def _shown(self, entitlement):
        cache = self.context.setdefault("_shown", {})
        if entitlement.person_id not in cache:
            cache[entitlement.person_id] = shown(self.context["request"].user, entitlement.person)
        return cache[entitlement.person_id]

    def get_person_name(self, entitlement) -> str:
        return self._shown(entitlement).name

    def get_honour_title(self, entitlement) -> str:
        return HIDDEN if self._shown(entitlement).desensitised else entitlement.honour.title


class PaymentSerializer(serializers.ModelSerializer):
    """A hardship payment (H-7) with its honoree as the user may see them (masked ID number;
    classified people are left out for all but the office: ``queries.payments``)."""

    person = serializers.IntegerField(source="application.person_id")
    person_name = serializers.CharField(source="application.person.name")
    id_number = serializers.CharField(source="application.person.id_masked")
    applying_unit = serializers.CharField(source="application.applying_unit.name")

    class Meta:
        model = Payment
        fields = [
            "id",
            "application",
            "person",
            "person_name",
            "id_number",
            "applying_unit",
            "paid_on",
            "amount",
            "reference",
            "payer_name",
        ]
