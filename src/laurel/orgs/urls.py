from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/<id:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<id:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<id:pk>/active/", views.unit_set_active, name="unit_set_active"),
]
