from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("quotas", views.QuotaViewSet, basename="quota")
router.register("nominees", views.NomineeViewSet, basename="nominee")
router.register("registry/people", views.PersonViewSet, basename="person")
router.register("treatment/entitlements", views.EntitlementViewSet, basename="entitlement")
router.register("treatment/payments", views.PaymentViewSet, basename="payment")

app_name = "api"
urlpatterns = [
    # The schema and its documentation are for users with an account (issue 19): DRF's token
    # or session for the schema, the login page for the docs.
    path(
        "schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"
    ),
    path("token/", views.token_page, name="token"),
    # Swagger UI sets inline styles: allowed on this page only (scripts stay 'self').
    path(
        "docs/",
        login_required(
            csp_update({"style-src": ["'unsafe-inline'"]})(
                SpectacularSwaggerSplitView.as_view(url_name="api:schema")
            )
        ),
        name="docs",
    ),
    path("registry/imports/", views.RegistryImportView.as_view(), name="registry_import"),
    path("", include(router.urls)),
]
