"""The REST API: the same services, jurisdiction filter and masking as the pages."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.models import AuthToken
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from laurel.api import serializers as s
from laurel.api.authentication import token_expires_at
from laurel.api.services.tokens import issue_token, revoke_token
from laurel.campaigns.models import Campaign, NominatingBody, Quota
from laurel.core import permissions
from laurel.core.converters import IdConverter
from laurel.core.http import int_param, text_param
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service
from laurel.orgs.models import Unit
from laurel.registry.interfaces import spreadsheets
from laurel.registry.models import Drive, Person
from laurel.registry.queries import people_of, search_people
from laurel.registry.services.privacy import log_id_search
from laurel.registry.services.registrations import import_people
from laurel.treatment import queries as treatment_queries
from laurel.treatment.models import Entitlement, Payment


class ByPk(CursorPagination):
    ordering = "pk"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def decode_cursor(self, request):
        """A cursor whose position is not an id (``abc``, ``1e5``, 30 digits: crafted, never
        one of ours) is refused as DRF refuses a cursor it cannot read: 404 "Invalid cursor"."""
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor is not None else None
        if position is not None and not re.fullmatch(ID_PATTERN, str(position)):
            raise NotFound(self.invalid_cursor_message)
        return cursor


def _service_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError(error.messages)


ID_PATTERN = IdConverter.regex  # a 20-digit id is a 404, not an integer too large for the database


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Published (and closed) campaigns with their categories, as the pages show them: the
    province sees all, others the campaigns their bodies take part in."""

    lookup_value_regex = ID_PATTERN

    serializer_class = s.CampaignSerializer
    pagination_class = ByPk

    def get_queryset(self):
        return (
            Campaign.objects.restrict(self.request.user)
            .exclude(status=Campaign.Status.DRAFT)
            .prefetch_related("categories")
        )


class QuotaViewSet(viewsets.ReadOnlyModelViewSet):
    """The quotas of the bodies the user may see."""

    lookup_value_regex = ID_PATTERN

    serializer_class = s.QuotaSerializer
    pagination_class = ByPk

    def get_queryset(self):
        # a draft campaign's bodies and places are not out yet: as the campaigns endpoint
        bodies = NominatingBody.objects.restrict(self.request.user).exclude(
            campaign__status=Campaign.Status.DRAFT
        )
        queryset = Quota.objects.filter(body__in=bodies).select_related("body", "category")
        campaign = int_param(self.request, "campaign")
        if campaign is not None:
            queryset = queryset.filter(body__campaign_id=campaign)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("campaign", int, description=_lazy("活动编号"))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class NomineeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Nominees in the user's jurisdiction with their state; create drafts."""

    lookup_value_regex = ID_PATTERN

    pagination_class = ByPk

    def get_serializer_class(self):
        return s.NomineeCreateSerializer if self.action == "create" else s.NomineeSerializer

    def get_queryset(self):
        queryset = Nominee.objects.restrict(self.request.user).select_related("category", "body")
        params = self.request.query_params
        campaign = int_param(self.request, "campaign")
        if campaign is not None:
            queryset = queryset.filter(campaign_id=campaign)
        if params.get("state") in Nominee.State.values:
            queryset = queryset.filter(state=params["state"])
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", int, description=_lazy("活动编号")),
            OpenApiParameter("state", str, enum=Nominee.State.values, description=_lazy("状态")),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.NomineeCreateSerializer, responses={201: s.NomineeSerializer})
    def create(self, request, *args, **kwargs):
        data = s.NomineeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        campaign = Campaign.objects.filter(pk=fields.pop("campaign")).first()
        if campaign is None:
            raise ValidationError({"campaign": [_("没有这个活动。")]})
        category = campaign.categories.filter(key=fields.pop("category")).first()
        if category is None:
            raise ValidationError({"category": [_("该活动没有这个类别。")]})
        unit = None
        if "nominating_unit" in fields:
            unit = (
                permissions.within_area(request.user, "nominations.add_nominee", Unit.objects.all())
                .filter(pk=fields.pop("nominating_unit"))
                .first()
            )
            if unit is None:
                raise ValidationError(
                    {"nominating_unit": [_("没有这个单位，或不在您的权限范围内。")]}
                )
        try:
            nominee = service.create_nominee(
                request.user,
                campaign,
                category,
                nominating_unit=unit,
                reason=_("接口新增"),
                **fields,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        body = s.NomineeSerializer(nominee, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class HasRule(BasePermission):
    """DRF's permission check by a named rule (laurel.core.permissions), with its message."""

    rule = ""

    def has_permission(self, request, view):
        if not (request.user and request.user.has_perm(self.rule)):
            self.message = permissions.refusal(self.rule)
            return False
        return True


def has_rule(name: str) -> type[HasRule]:
    return type(f"HasRule_{name}", (HasRule,), {"rule": name})


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Registry search: by name prefix, exact ID number, unit; masked as on the pages."""

    lookup_value_regex = ID_PATTERN

    serializer_class = s.PersonSerializer
    pagination_class = ByPk
    permission_classes = [IsAuthenticated, has_rule("registry.search_people")]
    queryset = Person.objects.none()  # for the schema; get_queryset is what is served

    def get_queryset(self):
        user = self.request.user
        id_number = text_param(self.request, "id_number")
        queryset = search_people(
            people_of(user).prefetch_related("honours"),
            see_classified=user.has_perm("registry.view_classified"),
            name=text_param(self.request, "name"),
            id_number=id_number,
            unit=text_param(self.request, "unit"),
        )
        if id_number:
            log_id_search(user, id_number, queryset.count())
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str, description=_lazy("姓名（前缀）")),
            OpenApiParameter("id_number", str, description=_lazy("身份证号码（精确）")),
            OpenApiParameter("unit", str, description=_lazy("工作单位（包含）")),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class EntitlementViewSet(viewsets.ReadOnlyModelViewSet):
    """Entitlements to treatment (H-7) within the user's jurisdiction, as on the pages."""

    serializer_class = s.EntitlementSerializer
    pagination_class = ByPk
    permission_classes = [IsAuthenticated, has_rule("treatment.view_entitlements")]
    queryset = Entitlement.objects.none()  # for the schema; get_queryset is what is served

    def get_queryset(self):
        queryset = treatment_queries.entitlements(self.request.user)
        person = int_param(self.request, "person")
        if person is not None:
            queryset = queryset.filter(person_id=person)
        key = text_param(self.request, "treatment")
        if key:
            queryset = queryset.filter(treatment__key=key)
        if self.request.query_params.get("current") == "1":
            queryset = treatment_queries.running(queryset)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("person", int, description=_lazy("表彰人员 id")),
            OpenApiParameter("treatment", str, description=_lazy("待遇代码")),
            OpenApiParameter("current", str, description=_lazy("1：只要未终止的（含将要开始的）")),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Hardship payments (H-7) within the user's jurisdiction, ID numbers masked."""

    serializer_class = s.PaymentSerializer
    pagination_class = ByPk
    permission_classes = [IsAuthenticated, has_rule("treatment.list_hardship")]
    queryset = Payment.objects.none()  # for the schema; get_queryset is what is served

    def get_queryset(self):
        queryset = treatment_queries.payments(self.request.user)
        person = int_param(self.request, "person")
        if person is not None:
            queryset = queryset.filter(application__person_id=person)
        year = int_param(self.request, "year")
        if year is not None and 1900 < year < 3000:
            queryset = queryset.filter(paid_on__year=year)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("person", int, description=_lazy("表彰人员 id")),
            OpenApiParameter("year", int, description=_lazy("支付年度")),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class RegistryImportView(APIView):
    """Import registrations from a summary sheet into the open drive, for the user's unit.
    Nothing is saved unless every row is valid (row errors come back as 400)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request=s.ImportSerializer,
        responses={
            201: s.ImportResultSerializer,
            200: s.ImportResultSerializer,
            400: s.ImportResultSerializer,
        },
    )
    def post(self, request):
        if not request.user.has_perm("registry.add_registration"):
            raise PermissionDenied(permissions.refusal("registry.add_registration"))
        data = s.ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        drive = Drive.objects.filter(status=Drive.Status.OPEN).first()
        if drive is None or request.user.unit is None:
            raise ValidationError([_("目前没有进行中的统计登记工作，或您的账号没有所属单位。")])
        upload = data.validated_data["file"]
        if upload.size > spreadsheets.MAX_UPLOAD:
            raise ValidationError({"file": [_("文件不能超过10 MB。")]})
        try:
            people, errors, merges = spreadsheets.parse(upload.read())
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        result = {
            "created": 0,
            "people": len(people),
            "merges": merges,
            "errors": [str(e) for e in errors],
        }
        if errors:
            return Response(result, status=status.HTTP_400_BAD_REQUEST)
        if data.validated_data["dry_run"]:
            return Response(result, status=status.HTTP_200_OK)
        try:
            made = import_people(request.user, drive, request.user.unit, people)
        except DjangoValidationError as error:
            result["errors"] = error.messages
            return Response(result, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        result["created"] = len(made)
        return Response(result, status=status.HTTP_201_CREATED)


@login_required
def token_page(request):
    """A user's own API token: generate (shown once), regenerate, revoke."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "create":
            new_key = issue_token(request.user)
        else:
            revoke_token(request.user)
    token = AuthToken.objects.filter(user=request.user).first()
    return render(
        request,
        "api/token.html",
        {
            "has_token": token is not None,
            "created": token.created if token else None,
            "expires": token_expires_at(token) if token else None,
            "new_key": new_key,
        },
    )
