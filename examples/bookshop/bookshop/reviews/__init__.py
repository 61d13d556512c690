"""The bookshop's ``reviews`` app: models, serializers and an async viewset."""
