from django.urls import path

from telly.listings import views

app_name = "listings"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("xmltv.xml", views.xmltv_feed, name="xmltv"),
    path("<slug:slug>/", views.channel, name="channel"),
]
