"""The bookshop: an example API built with drf-async-viewsets.

Three apps, each with one async viewset:

* :mod:`bookshop.authors`: ``AuthorViewSet``, an admin-only ``destroy`` and an async ``stats``
  action that uses only Django's async ORM;
* :mod:`bookshop.books`: ``BookViewSet``, with a list serializer, a detail serializer and a
  write serializer chosen per action by ``action_configs``;
* :mod:`bookshop.reviews`: ``ReviewViewSet``, reviews owned by users, with a ``mine`` action
  whose queryset is scoped to ``request.user`` by a callable ``ActionConfig.queryset`` and
  paged without ``COUNT(*)`` by its ``ActionConfig.pagination_class``.

The viewsets page with :mod:`async_viewsets.pagination`'s paginators (:mod:`bookshop.api`).

This package is also an installed app (label ``bookshop``): it holds the ``demo`` management
command (:mod:`bookshop.management.commands.demo`) and the seed data (:mod:`bookshop.seed`).
"""
