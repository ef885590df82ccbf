from django.urls import path

from .views import awards, lists, panels

app_name = "evaluation"
urlpatterns = [
    path("", panels.evaluation_home, name="home"),
    path("recheck/<id:pk>/", panels.recheck, name="recheck"),
    path("panels/new/", panels.panel_create, name="panel_create"),
    path("panels/<id:pk>/", panels.panel_detail, name="panel"),
    path("panels/<id:pk>/close/", panels.panel_close, name="panel_close"),
    path("panels/<id:pk>/choose/", panels.panel_choose, name="panel_choose"),
    path("panels/<id:pk>/vote/", panels.panel_vote, name="vote"),
    path("panels/<id:pk>/runoff/", panels.panel_runoff, name="panel_runoff"),
    path("panels/<id:pk>/minutes/", panels.panel_minutes, name="panel_minutes"),
    path("panels/mine/", panels.my_panels, name="my_panels"),
    path("lists/", lists.list_index, name="list_index"),
    path("assess/", lists.assess, name="assess"),
    path("awards/", awards.awards, name="awards"),
    path("lists/<id:category_pk>/", lists.preliminary_list, name="list"),
]
