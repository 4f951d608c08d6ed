app_name = "editorial"
urlpatterns: list = []
