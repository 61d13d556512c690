"""The bookshop's ``authors`` app: models, serializers and an async viewset."""
