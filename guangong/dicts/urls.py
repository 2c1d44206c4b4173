from guangong.core import resource_views

app_name = "dicts"

# The list, add, edit and delete pages of dictionary items (``dicts.resources``).
urlpatterns = [*resource_views.urls("dicts")]
