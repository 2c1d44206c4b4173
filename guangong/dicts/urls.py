from django.urls import path

from . import views

app_name = "dicts"

urlpatterns = [
    path("", views.DictItemListView.as_view(), name="dictitem_list"),
    path("new/", views.DictItemCreateView.as_view(), name="dictitem_add"),
    path("<int:pk>/edit/", views.DictItemEditView.as_view(), name="dictitem_edit"),
    path("<int:pk>/delete/", views.DictItemDeleteView.as_view(), name="dictitem_delete"),
]
