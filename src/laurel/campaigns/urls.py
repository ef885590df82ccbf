from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("import/", views.definition_import, name="import"),
    path("<id:pk>/", views.campaign_detail, name="detail"),
    path("<id:pk>/edit/", views.campaign_edit, name="edit"),
    path("<id:pk>/phases/new/", views.phase_add, name="phase_add"),
    path("<id:pk>/quotas/", views.quota_edit, name="quotas"),
    path("<id:pk>/rules/", views.campaign_rules, name="rules"),
    path("<id:pk>/definition.yaml", views.definition_export, name="definition_export"),
    path("<id:pk>/publish/", views.campaign_publish, name="publish"),
    path("<id:pk>/close/", views.campaign_close, name="close"),
    path("bodies/<id:pk>/deadline/", views.body_deadline, name="body_deadline"),
    path("<id:pk>/copy/", views.campaign_copy, name="copy"),
    path("<id:pk>/categories/new/", views.category_add, name="category_add"),
    path("<id:pk>/bodies/new/", views.body_add, name="body_add"),
]
