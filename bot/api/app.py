"""create_app(bot) -> FastAPI: translation to and from HTTP, nothing else.

Every error leaves as {"error": {"code", "message"}}; no stack trace ever reaches a client."""

from __future__ import annotations

import hmac
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import upload, views
from bot.api.docs import ASK_EVENTS, CHAT_EVENTS, documented, with_event_schemas
from bot.api.guard import GuardMiddleware, TokenBucketLimiter
from bot.api.models import (
    EXAMPLE_DOC_ID,
    MODEL_ID,
    ApiError,
    AskRequest,
    ChatCompletion,
    ChatRequest,
    ClauseView,
    DocumentOutline,
    FeedbackRequest,
    Ingested,
    ModelList,
    Ready,
    Saved,
    SearchRequest,
    SearchResult,
    Status,
    error_response,
)
from bot.api.streaming import completion_chunk, log_answer, sources_text, split_chat, sse, sse_event
from bot.corpus.bilingual import GlossaryTerm
from bot.corpus.load import SUPPORTED_SUFFIXES
from bot.feedback import FeedbackStore
from bot.schema import Answer
from bot.service import BadRequest

if TYPE_CHECKING:
    from bot.service import PolicyBot

log = logging.getLogger("policybot.api")


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "maxItems": upload.MAX_FILES,
                            "description": f"{', '.join(SUPPORTED_SUFFIXES)}; "
                            f"at most {upload.MAX_UPLOAD_BYTES} bytes in all",
                        }
                    },
                }
            }
        },
    }
}
admin_bearer = HTTPBearer(auto_error=False, description="the server's admin token (BOT_SERVER__ADMIN_TOKEN)")
AdminCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)]


async def uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """(client file name, bytes) of every file part named `files` of a multipart request."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "send the files as multipart/form-data, field 'files'")
    try:
        form = await request.form(max_files=upload.MAX_FILES, max_fields=upload.MAX_FILES)
    except StarletteHTTPException as exc:  # a malformed multipart body or too many parts
        raise ApiError(422, "invalid_upload", str(exc.detail)) from None
    try:
        parts = form.getlist("files")
        if not parts or not all(isinstance(part, UploadFile) for part in parts):
            raise ApiError(422, "no_files", "send at least one file in the multipart field 'files'")
        return [
            (part.filename or "", await part.read(upload.MAX_UPLOAD_BYTES + 1))
            for part in parts
            if isinstance(part, UploadFile)
        ]
    finally:
        await form.close()


def mount_offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI's files from the swagger-ui-bundle package."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="policybot API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )


def create_app(
    bot: PolicyBot,
    feedback: FeedbackStore | None = None,
    reindex: Callable[[], None] | None = None,
    limiter: TokenBucketLimiter | None = None,
) -> FastAPI:
    server = bot.settings.server
    app = FastAPI(
        title="policybot",
        version="1",
        description="Cited answers on Xiamen's IP work plan (厦府〔2022〕333号).",
        docs_url=None,  # served below from the bundled Swagger UI: the product runs offline, no CDN
        redoc_url=None,
    )
    mount_offline_docs(app)
    app.add_middleware(
        GuardMiddleware,
        limiter=limiter or TokenBucketLimiter(server.rate_limit_per_minute),
        body_limits={"/v1/admin/ingest": upload.MAX_REQUEST_BYTES},
    )
    if server.cors_origins:  # closed unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=server.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    with_event_schemas(app)
    admin_busy = threading.Lock()  # one reindex or ingest at a time

    @app.exception_handler(ApiError)
    async def _api_error(_: Any, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(upload.UploadRejected)
    async def _upload_rejected(_: Any, exc: upload.UploadRejected) -> JSONResponse:
        body: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.files:
            body["files"] = exc.files
        return JSONResponse({"error": body}, status_code=exc.status)

    @app.exception_handler(BadRequest)
    async def _bad_request(_: Any, exc: BadRequest) -> JSONResponse:
        return error_response(422, "bad_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Any, exc: RequestValidationError) -> JSONResponse:
        # Locations and messages only: the rejected input is not echoed back.
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(422, "invalid_request", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Any, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body FastAPI cannot parse (e.g. not UTF-8): malformed, like bad JSON
            return error_response(422, "invalid_request", str(exc.detail))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    def rebuild(reindex: Callable[[], None], added: list[str] | None = None) -> None:
        """Run a reindex; a failure leaves the previous index serving and says so, with what was kept."""
        try:
            reindex()
        except Exception as exc:  # the reason is logged in full; the client gets a plain account
            log.exception("reindex failed")
            kept = f"documents added and kept in the corpus: {', '.join(added)}; " if added else ""
            raise ApiError(
                503,
                "reindex_failed",
                f"{kept}the index could not be rebuilt ({type(exc).__name__}); the previous index is still "
                "being served. Retry with POST /v1/admin/reindex.",
            ) from None

    def checked(question: str) -> str:
        question = question.strip()
        if not question:
            raise ApiError(422, "empty_question", "question must not be empty")
        if len(question) > server.max_question_chars:
            raise ApiError(
                413, "question_too_long", f"question exceeds {server.max_question_chars} characters"
            )
        return question

    def authorize(credentials: HTTPAuthorizationCredentials | None) -> None:
        """Admin actions need the configured token as a bearer token; compared in constant time."""
        if server.admin_token is None:
            raise ApiError(404, "admin_disabled", "admin disabled")
        given = credentials.credentials.strip() if credentials is not None else ""
        if not given:
            raise ApiError(401, "unauthorized", "missing bearer token", {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), server.admin_token.get_secret_value().encode()):
            raise ApiError(403, "forbidden", "invalid admin token")

    def answer_events(question: str, lang: str, history: list[dict]) -> Iterator[str]:
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                yield sse_event(item.contract(), "answer")
            else:
                yield sse_event({"text": item}, "chunk")

    @app.post(
        "/v1/ask",
        summary="A cited answer (contract shape); ?stream=true for server-sent events",
        response_model=None,
        responses=documented(Answer, 413, 422, 429, stream=ASK_EVENTS),
    )
    def ask(body: AskRequest, stream: Annotated[bool, Query()] = False) -> Any:
        question, history = checked(body.question), [m.model_dump() for m in body.history]
        if stream or body.stream:
            return sse(answer_events(question, body.lang, history))
        answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        return answer.contract()

    @app.post(
        "/v1/search",
        summary="The best clauses for a question",
        response_model=None,
        responses=documented(SearchResult, 413, 422, 429),
    )
    def search(body: SearchRequest) -> dict:
        return bot.search_json(checked(body.question), body.k)

    @app.get(
        "/v1/documents",
        summary="Documents with metadata and clause outline",
        response_model=None,
        responses=documented(list[DocumentOutline], 429),
    )
    def documents() -> list[dict]:
        return views.documents(bot)

    @app.get(
        "/v1/documents/{doc_id}/clauses/{clause}",
        summary="One clause in Chinese and English",
        response_model=None,
        responses=documented(ClauseView, 404, 422, 429),
    )
    def clause(
        doc_id: Annotated[str, Path(examples=[EXAMPLE_DOC_ID])],
        clause: Annotated[str, Path(examples=["16", "table1", "notice"])],
    ) -> dict:
        view = views.clause_view(bot, doc_id, clause)
        if view is None:
            raise ApiError(404, "not_found", f"no clause {clause!r} in document {doc_id!r}")
        return view

    @app.get(
        "/v1/glossary",
        summary="Glossary terms (Simplified, Traditional, English)",
        response_model=None,
        responses=documented(list[GlossaryTerm], 422, 429),
    )
    def glossary(
        q: Annotated[str | None, Query(max_length=200, examples=["知识产权"])] = None,
    ) -> list[dict]:
        return views.glossary(bot, q)

    @app.post(
        "/v1/feedback",
        summary="Thumbs up or down, with a comment",
        response_model=None,
        responses=documented(Saved, 404, 413, 422, 429),
    )
    def add_feedback(body: FeedbackRequest) -> dict:
        if feedback is None:
            raise ApiError(404, "feedback_disabled", "feedback is not enabled on this server")
        return {"id": feedback.add(body.rating, body.comment, body.question, body.answer_id)}

    @app.get("/healthz", summary="The process is up", response_model=None, responses=documented(Status))
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", summary="The index is loaded", response_model=None, responses=documented(Ready, 503))
    def readyz() -> JSONResponse:
        manifest = getattr(getattr(getattr(bot, "retriever", None), "index", None), "manifest", None)
        if not manifest:
            return error_response(503, "not_ready", "index not loaded")
        return JSONResponse(
            {"status": "ready", "built_at": manifest.get("built_at"), "counts": manifest.get("counts")}
        )

    @app.post(
        "/v1/admin/reindex",
        summary="Rebuild the index (Authorization: Bearer <admin token>)",
        response_model=None,
        responses=documented(Status, 401, 403, 404, 409, 413, 429, 501, 503),
    )
    def admin_reindex(credentials: AdminCredentials) -> dict:
        authorize(credentials)
        if reindex is None:
            raise ApiError(501, "not_configured", "reindexing is not configured on this server")
        if not admin_busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            rebuild(reindex)
        finally:
            admin_busy.release()
        return {"status": "reindexed"}

    @app.post(
        "/v1/admin/ingest",
        summary="Add documents to the corpus (multipart field `files`), then reindex; all-or-nothing",
        response_model=None,
        responses=documented(Ingested, 401, 403, 404, 409, 413, 415, 422, 429, 503),
        openapi_extra=UPLOAD_BODY,
    )
    async def admin_ingest(request: Request, credentials: AdminCredentials) -> dict:
        authorize(credentials)  # before the body is parsed
        files = await uploaded_files(request)
        if not admin_busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            settings = bot.settings
            added = await run_in_threadpool(upload.ingest, files, settings.corpus_dir, settings.data_dir)
            log.info("ingested %s", ", ".join(d.doc_id for d in added))
            if reindex is not None:
                await run_in_threadpool(rebuild, reindex, [d.doc_id for d in added])
        finally:
            admin_busy.release()
        return {
            "status": "ingested",
            "documents": [
                {"doc_id": d.doc_id, "title": d.meta.title, "shape": d.meta.shape, "clauses": len(d.clauses)}
                for d in added
            ],
            "reindexed": reindex is not None,
        }

    @app.get(
        "/v1/models",
        summary="OpenAI-compatible model list",
        response_model=None,
        responses=documented(ModelList, 429),
    )
    def models() -> dict:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "policybot"}],
        }

    @app.post(
        "/v1/chat/completions",
        summary="OpenAI-compatible chat; answers carry a Sources list and `citations`",
        response_model=None,
        responses=documented(ChatCompletion, 413, 422, 429, stream=CHAT_EVENTS),
    )
    def chat_completions(body: ChatRequest) -> Any:
        question, history = split_chat(body.messages)
        question = checked(question)
        chat_id = f"chatcmpl-{uuid.uuid4().hex}"
        if body.stream:
            return sse(chat_events(chat_id, question, body.lang, history))
        answer = bot.ask(question, body.lang, history)
        log_answer(answer)
        message = {"role": "assistant", "content": answer.answer + sources_text(answer, bot.corpus)}
        return {
            "id": chat_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL_ID,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "citations": answer.contract()["citations"],
        }

    def chat_events(chat_id: str, question: str, lang: str, history: list[dict]) -> Iterator[str]:
        yield sse_event(completion_chunk(chat_id, {"role": "assistant", "content": ""}))
        for item in views.answer_stream(bot, question, lang, history):
            if isinstance(item, Answer):
                log_answer(item)
                if item.citations:
                    yield sse_event(completion_chunk(chat_id, {"content": sources_text(item, bot.corpus)}))
                yield sse_event(completion_chunk(chat_id, {}, "stop", citations=item.contract()["citations"]))
            else:
                yield sse_event(completion_chunk(chat_id, {"content": item}))
        yield "data: [DONE]\n\n"

    return app


# ------------------------------------------------------------------------------------------ serving
