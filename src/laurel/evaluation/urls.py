from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_home, name="home"),
    path("recheck/<id:pk>/", views.recheck, name="recheck"),
    path("panels/new/", views.panel_create, name="panel_create"),
    path("panels/<id:pk>/", views.panel_detail, name="panel"),
    path("panels/<id:pk>/close/", views.panel_close, name="panel_close"),
    path("panels/<id:pk>/choose/", views.panel_choose, name="panel_choose"),
    path("panels/<id:pk>/vote/", views.panel_vote, name="vote"),
    path("assess/", views.assess, name="assess"),
    path("awards/", views.awards, name="awards"),
    path("lists/<id:category_pk>/", views.preliminary_list, name="list"),
]
