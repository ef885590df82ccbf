from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("notices/", views.notice_list, name="manage_list"),
    path("notices/new/<id:campaign_pk>/", views.notice_create, name="create"),
    path("notices/<id:pk>/", views.manage_notice, name="manage_notice"),
    path("notices/<id:pk>/close/", views.notice_close, name="close"),
    path("notices/<id:pk>/cancel/", views.notice_cancel, name="cancel"),
    path("objections/<id:pk>/", views.objection_detail, name="objection"),
]
