from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/import/", views.user_import, name="user_import"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<id:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<id:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<id:pk>/unlock/", views.user_unlock, name="user_unlock"),
]
