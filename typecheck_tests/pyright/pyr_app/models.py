from django.db import models


class Author(models.Model):
    name: models.CharField[str, str] = models.CharField(max_length=100)


class Article(models.Model):
    title: models.CharField[str, str] = models.CharField(max_length=100)
