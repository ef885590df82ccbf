from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("public/", views.home, name="home"),
    path("public/notices/", views.public_notices, name="notices"),
    path("public/notices/archive/", views.notice_archive, name="notice_archive"),
    path("public/notices/<id:pk>/", views.public_notice, name="notice"),
    path("public/objections/", views.objection_outcome, name="objection_outcome"),
    path("public/verify/", views.verify, name="verify"),
    path("public/honours/", views.honour_roll, name="honours"),
]
