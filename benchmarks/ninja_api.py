"""The django-ninja contender (imported only when ninja is installed).

Async operations over the same queryset, pydantic schemas with the author's name read through
the foreign key, and a paginator that answers DRF's page shape (count, next, previous, results).
"""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Field, NinjaAPI, Router, Schema
from ninja.pagination import AsyncPaginationBase, paginate
from ninja.responses import Status

from benchmarks.bookstore.models import Author, Book
from benchmarks.contenders import PAGE_SIZE, books, external_call_seconds, page_url


class BookOut(Schema):
    id: int
    title: str
    pages: int
    published: datetime.date
    author: int = Field(..., alias="author_id")
    author_name: str = Field(..., alias="author.name")


class BookIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    pages: int = Field(..., ge=0)
    published: datetime.date
    author: int


class BookPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    pages: int | None = Field(None, ge=0)
    published: datetime.date | None = None
    author: int | None = None


class DRFShapedPage(AsyncPaginationBase):
    """DRF's ``PageNumberPagination`` page shape (count, next, previous, results)."""

    class Input(Schema):
        page: int = Field(1, ge=1)

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **_: Any) -> Any:
        raise NotImplementedError("the benchmark's ninja operations are async")

    async def apaginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **_: Any
    ) -> Any:
        count = await queryset.acount()
        page = pagination.page
        last = max(1, -(-count // PAGE_SIZE))
        offset = (page - 1) * PAGE_SIZE
        return {
            "count": count,
            "next": page_url(request, page + 1) if page < last else None,
            "previous": page_url(request, page - 1) if page > 1 else None,
            "results": [b async for b in queryset[offset : offset + PAGE_SIZE]],
        }


def build(auth: Any) -> Router:
    router = Router(auth=auth)

    @router.get("/books/", response=list[BookOut])
    @paginate(DRFShapedPage)
    async def list_books(request: HttpRequest) -> Any:
        return books()

    @router.get("/books/{int:pk}/", response=BookOut)
    async def retrieve_book(request: HttpRequest, pk: int) -> Any:
        return await aget_object_or_404(books(), pk=pk)

    @router.post("/books/", response={201: BookOut})
    async def create_book(request: HttpRequest, payload: BookIn) -> Any:
        author = await aget_object_or_404(Author, pk=payload.author)
        data = payload.dict()
        data["author"] = author
        return Status(201, await Book.objects.acreate(**data))

    @router.patch("/books/{int:pk}/", response=BookOut)
    async def update_book(request: HttpRequest, pk: int, payload: BookPatch) -> Any:
        book = await aget_object_or_404(books(), pk=pk)
        changes = payload.dict(exclude_unset=True)
        if "author" in changes:
            changes["author"] = await aget_object_or_404(Author, pk=changes["author"])
        for name, value in changes.items():
            setattr(book, name, value)
        await book.asave()
        return book

    @router.delete("/books/{int:pk}/", response={204: None})
    async def destroy_book(request: HttpRequest, pk: int) -> Any:
        book = await aget_object_or_404(Book, pk=pk)
        await book.adelete()
        return Status(204, None)

    return router


async def sleeping_auth(request: HttpRequest) -> object:
    """The I/O scenario's authenticator: awaits a 50-100 ms external call."""
    await asyncio.sleep(external_call_seconds())
    return object()


api = NinjaAPI(urls_namespace="bench-ninja", docs_url=None, openapi_url=None)
api.add_router("/", build(None))
io_api = NinjaAPI(urls_namespace="bench-ninja-io", docs_url=None, openapi_url=None)
io_api.add_router("/", build(sleeping_auth))
