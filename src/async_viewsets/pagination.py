"""Async paginators: DRF's three styles, plus page numbers without ``COUNT(*)``.

``AsyncPageNumberPagination``, ``AsyncLimitOffsetPagination`` and ``AsyncCursorPagination`` are
DRF's classes (same query parameters, links, response shapes, 404 errors, schema methods and
browsable-API controls) with async twins::

    page = await paginator.apaginate_queryset(queryset, request, view=view)  # acount(), async for
    response = await paginator.aget_paginated_response(serializer.data)

Each paginator's logic is written once, as a generator of I/O requests (count the rows, fetch
one slice; see :mod:`async_viewsets._twins`): ``paginate_queryset`` runs the queries with
``count()`` and ``list()``, ``apaginate_queryset`` with ``acount()`` and ``async for``.

Inside an async view the sync method runs: the view's flow is already in its worker thread,
where the sync queries cost nothing extra, whereas awaiting the coroutine would add thread hops
(``prefer_sync_in_worker = True``; see :mod:`async_viewsets._components`). The coroutine serves
code that runs on the event loop, such as an ``async def`` action calling the paginator itself.

``FastPageNumberPagination`` pages by number without counting: it fetches ``page_size + 1``
rows and knows from the extra row whether a next page exists. Its response is
``{"next", "previous", "results"}``; an invalid page number, or a page after the first that
has no rows, is a 404 as in DRF. Page ``last`` cannot be resolved without a count and is
rejected as an invalid page.

Plain DRF paginators keep working on the async views (they run in the flow's one hop), and so
do ``DEFAULT_PAGINATION_CLASS``, ``PAGE_SIZE`` and ``ActionConfig.pagination_class``.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import (
    BasePagination,
    CursorPagination,
    LimitOffsetPagination,
    PageNumberPagination,
)
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from async_viewsets._twins import IO, Twin, arun, count, fetch, in_thread, run

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.core.paginator import Page
    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.views import APIView

__all__ = [
    "AsyncCursorPagination",
    "AsyncLimitOffsetPagination",
    "AsyncPageNumberPagination",
    "AsyncPaginationMixin",
    "FastPageNumberPagination",
]


class AsyncPaginationMixin(BasePagination):
    """``paginate_queryset`` and ``apaginate_queryset`` around one generator,
    :meth:`paginate_queryset_twin`; ``aget_paginated_response`` for symmetry."""

    prefer_sync_in_worker: ClassVar[bool] = True

    def paginate_queryset_twin(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> Twin[list[Any] | None]:
        """The paginator's logic, yielding its queries; see :mod:`async_viewsets._twins`."""
        raise NotImplementedError(f"{type(self).__name__} must define paginate_queryset_twin()")

    def paginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        """One page of ``queryset`` (sync queries), or ``None`` when pagination is off."""
        return run(self.paginate_queryset_twin(queryset, request, view))

    async def apaginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        """Async twin of :meth:`paginate_queryset` (``acount()``, ``async for``)."""
        return await arun(self.paginate_queryset_twin(queryset, request, view))

    async def aget_paginated_response(self, data: Any) -> Response:
        """Async twin of ``get_paginated_response`` (it runs no query)."""
        return self.get_paginated_response(data)


def _not_found(paginator: Any, page_number: object, exc: Exception | str) -> NotFound:
    message = paginator.invalid_page_message.format(page_number=page_number, message=str(exc))
    return NotFound(message)


class AsyncPageNumberPagination(AsyncPaginationMixin, PageNumberPagination):
    """DRF's ``PageNumberPagination`` (``?page=``, ``?page=last``), with async twins."""

    if TYPE_CHECKING:
        # drf-stubs' declarations with the type arguments it leaves out (``Paginator`` is
        # generic in Django's stubs; pyright reports the bare class as partially unknown).
        django_paginator_class: type[DjangoPaginator[Any]]
        page: Page[Any] | None

        def get_page_number(
            self, request: Request, paginator: DjangoPaginator[Any]
        ) -> int | str: ...

    def paginate_queryset_twin(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> Twin[list[Any] | None]:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        yield from _count_for(paginator)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise _not_found(self, page_number, exc) from None
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        self.page.object_list = yield fetch(self.page.object_list)
        return list(self.page)


def _count_for(paginator: DjangoPaginator[Any]) -> Twin[None]:
    """Fill Django's ``Paginator.count`` with one counting query (``acount()`` on the loop).

    A paginator class that computes ``count`` its own way is asked for it in a worker thread.
    """
    attribute = inspect.getattr_static(type(paginator), "count", None)
    if attribute is DjangoPaginator.__dict__["count"] and isinstance(attribute, cached_property):
        paginator.__dict__["count"] = yield count(paginator.object_list)
    else:
        yield in_thread(lambda: paginator.count)


class AsyncLimitOffsetPagination(AsyncPaginationMixin, LimitOffsetPagination):
    """DRF's ``LimitOffsetPagination`` (``?limit=&offset=``), with async twins."""

    if TYPE_CHECKING:
        # drf-stubs' declaration with the type arguments it leaves out (see above).
        def get_count(self, queryset: QuerySet[Any, Any] | Sequence[Any]) -> int: ...

    def paginate_queryset_twin(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> Twin[list[Any] | None]:
        self.request = request
        limit = self.get_limit(request)
        if limit is None:
            return None
        self.limit = limit
        total: int = yield IO(lambda: self.get_count(queryset), lambda: self.aget_count(queryset))
        self.count = total
        self.offset = self.get_offset(request)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        rows: list[Any] = yield fetch(queryset[self.offset : self.offset + self.limit])
        return rows

    async def aget_count(self, queryset: Any) -> int:
        """Async twin of ``get_count``: ``acount()`` for a QuerySet, else ``count()``/``len``."""
        return await count(queryset).acall()


def _reversed_ordering(ordering: Sequence[str]) -> tuple[str, ...]:
    return tuple(field[1:] if field.startswith("-") else "-" + field for field in ordering)


class AsyncCursorPagination(AsyncPaginationMixin, CursorPagination):
    """DRF's ``CursorPagination`` (opaque ``?cursor=``, stable ordering), with async twins.

    An invalid cursor is a 404, as in DRF.
    """

    def paginate_queryset_twin(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> Twin[list[Any] | None]:
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)  # type: ignore[arg-type]
        self.cursor = self.decode_cursor(request)
        offset, reverse, position = self.cursor if self.cursor is not None else (0, False, None)
        rows = yield fetch(self._window(queryset, offset, reverse, position))
        self._place(rows, offset, reverse, position)
        if (self.has_previous or self.has_next) and self.template is not None:
            self.display_page_controls = True
        return self.page

    def _window(
        self, queryset: QuerySet[Any], offset: int, reverse: bool, position: Any
    ) -> QuerySet[Any]:
        """The rows of this page plus one: ordered, filtered past ``position``, offset."""
        ordering = _reversed_ordering(self.ordering) if reverse else tuple(self.ordering)
        queryset = queryset.order_by(*ordering)
        if position is not None:
            first = self.ordering[0]
            descending = first.startswith("-")
            # Rows strictly after the position, in the direction the cursor travels.
            lookup = "lt" if reverse != descending else "gt"
            queryset = queryset.filter(**{f"{first.lstrip('-')}__{lookup}": position})
        assert self.page_size is not None
        return queryset[offset : offset + self.page_size + 1]

    def _place(self, rows: list[Any], offset: int, reverse: bool, position: Any) -> None:
        """Set ``page``, ``has_next``/``has_previous`` and their positions from the rows."""
        assert self.page_size is not None
        self.page = rows[: self.page_size]
        beyond = len(rows) > self.page_size
        beyond_position = (
            self._get_position_from_instance(rows[-1], self.ordering) if beyond else None
        )
        before = position is not None or offset > 0
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = before, beyond
            next_position, previous_position = position, beyond_position
        else:
            self.has_next, self.has_previous = beyond, before
            next_position, previous_position = beyond_position, position
        if self.has_next:
            self.next_position = next_position
        if self.has_previous:
            self.previous_position = previous_position


class FastPageNumberPagination(AsyncPaginationMixin, PageNumberPagination):
    """Page numbers without ``COUNT(*)``: fetch ``page_size + 1`` rows; see the module docstring.

    The response is ``{"next": url|null, "previous": url|null, "results": [...]}``. The query
    parameters are ``PageNumberPagination``'s (``page``, and ``page_size_query_param`` when set).
    """

    if TYPE_CHECKING:
        # drf-stubs' declaration with the type argument it leaves out (see above).
        django_paginator_class: type[DjangoPaginator[Any]]

    last_page_strings: Sequence[str] = ()
    template = "rest_framework/pagination/previous_and_next.html"

    page_number: int
    has_next: bool

    def paginate_queryset_twin(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> Twin[list[Any] | None]:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        raw = request.query_params.get(self.page_query_param) or 1
        number: int = self._validate_page_number(raw)
        start = (number - 1) * page_size
        rows: list[Any] = yield fetch(queryset[start : start + page_size + 1])
        if not rows and number > 1:
            raise _not_found(self, raw, self._error_message("no_results"))
        self.page_number = number
        self.has_next = len(rows) > page_size
        if (self.has_next or number > 1) and self.template is not None:
            self.display_page_controls = True
        return rows[:page_size]

    def _error_message(self, code: str) -> str:
        messages: dict[str, str] = getattr(
            self.django_paginator_class, "default_error_messages", {}
        )
        return str(messages.get(code, ""))

    def _validate_page_number(self, raw: object) -> int:
        """Django's ``Paginator.validate_number`` rules, minus the upper bound (no count)."""
        try:
            if isinstance(raw, float) and not raw.is_integer():
                raise ValueError
            number: int = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise _not_found(self, raw, self._error_message("invalid_page")) from None
        if number < 1:
            raise _not_found(self, raw, self._error_message("min_page"))
        return number

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``{"next", "previous", "results"}``: DRF's page-number schema without ``count``."""
        described = super().get_paginated_response_schema(schema)
        properties = dict(described["properties"])
        properties.pop("count", None)
        return {"type": "object", "required": ["results"], "properties": properties}

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        assert self.request is not None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page_number + 1)

    def get_previous_link(self) -> str | None:
        if self.page_number <= 1:
            return None
        assert self.request is not None
        url = self.request.build_absolute_uri()
        if self.page_number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page_number - 1)

    def get_html_context(self) -> Any:
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}
