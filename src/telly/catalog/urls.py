from django.urls import path

from telly.catalog import views

app_name = "catalog"
urlpatterns = [
    path("shows/", views.show_list, name="shows"),
    path("shows/<slug:slug>/", views.show_detail, name="show"),
    path("films/", views.film_list, name="films"),
    path("films/<slug:slug>/", views.film_detail, name="film"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("genres/", views.genre_list, name="genres"),
    path("genres/<slug:slug>/", views.genre_detail, name="genre"),
    path("titles/<int:pk>/", views.title_by_id, name="title-by-id"),
]
