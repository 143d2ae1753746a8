"""Read-only views of the corpus: the documents with their outlines, one clause, the glossary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Query

from bot import views
from bot.api.docs import documented
from bot.api.models import EXAMPLE_CLAUSES, ApiError
from bot.api.responses import ClauseView, DocumentOutline
from bot.corpus.bilingual import GlossaryTerm

if TYPE_CHECKING:
    from bot.service import PolicyBot


def documents_router(bot: PolicyBot) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/v1/documents",
        summary="Documents with metadata and clause outline",
        response_model=None,
        responses=documented(list[DocumentOutline], 429),
    )
    def documents() -> list[dict]:
        return views.documents(bot)

    @router.get(
        "/v1/documents/{doc_id}/clauses/{clause}",
        summary="One clause in Chinese and English",
        response_model=None,
        responses=documented(ClauseView, 404, 422, 429),
    )
    def clause(
        doc_id: Annotated[str, Path(description="a `doc_id` from GET /v1/documents")],
        clause: Annotated[str, Path(examples=EXAMPLE_CLAUSES)],
    ) -> dict:
        view = views.clause_view(bot, doc_id, clause)
        if view is None:
            raise ApiError(404, "not_found", f"no clause {clause!r} in document {doc_id!r}")
        return view

    @router.get(
        "/v1/glossary",
        summary="Glossary terms (Simplified, Traditional, English)",
        response_model=None,
        responses=documented(list[GlossaryTerm], 422, 429),
    )
    def glossary(
        q: Annotated[str | None, Query(max_length=200, examples=["知识产权"])] = None,
    ) -> list[dict]:
        return views.glossary(bot, q)

    return router
