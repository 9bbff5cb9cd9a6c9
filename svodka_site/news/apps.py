from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "svodka_site.news"
    label = "news"
    verbose_name = "News"
