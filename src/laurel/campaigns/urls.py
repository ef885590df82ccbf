from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("import/", views.definition_import, name="import"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/quotas/", views.quota_edit, name="quotas"),
    path("<int:pk>/publish/", views.campaign_publish, name="publish"),
    path("<int:pk>/copy/", views.campaign_copy, name="copy"),
    path("<int:pk>/categories/new/", views.category_add, name="category_add"),
    path("<int:pk>/bodies/new/", views.body_add, name="body_add"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
]
