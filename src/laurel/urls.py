from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from laurel.accounts.forms import LoginForm
from laurel.core.converters import IdConverter

register_converter(IdConverter, "id")  # before the apps' URL modules are included
handler500 = "laurel.core.views.server_error"  # 503 while the database is unreachable

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="pages:inbox", permanent=False), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("laurel.pages.urls")),
    path("", include("laurel.accounts.urls")),
    path("orgs/", include("laurel.orgs.urls")),
    path("core/", include("laurel.core.urls")),
    path("campaigns/", include("laurel.campaigns.urls")),
    path("nominations/", include("laurel.nominations.urls")),
    path("", include("laurel.public.urls")),
    path("", include("laurel.site.urls")),
    path("evaluation/", include("laurel.evaluation.urls")),
    path("documents/", include("laurel.documents.urls")),
    path("registry/", include("laurel.registry.urls")),
    path("treatment/", include("laurel.treatment.urls")),
    path("api/", include("laurel.api.urls")),
]
