from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("public/notices/", views.public_notices, name="notices"),
    path("public/notices/<id:pk>/", views.public_notice, name="notice"),
    path("public/verify/", views.verify, name="verify"),
    path("public/honours/", views.honour_roll, name="honours"),
]
