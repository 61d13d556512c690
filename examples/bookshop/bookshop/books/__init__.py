"""The bookshop's ``books`` app: models, serializers and an async viewset."""
