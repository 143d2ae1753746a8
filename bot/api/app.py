"""create_app(bot) -> FastAPI: the factory, its middleware and error handling; the routes live in
bot.api.routes, one module per area.

Every error leaves as {"error": {"code", "message"}}; no stack trace ever reaches a client."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from bot import upload
from bot.api.docs import as_openapi_30, with_event_schemas
from bot.api.guard import GuardMiddleware
from bot.api.methods import ApiMethodsMiddleware
from bot.api.models import ApiError, error_response
from bot.api.routes import (
    admin_router,
    ask_router,
    chat_router,
    documents_router,
    feedback_router,
    health_router,
)
from bot.feedback import FeedbackStore
from bot.service import BadRequest
from bot.state.ratelimit import Limiter, TokenBucketLimiter

if TYPE_CHECKING:
    from bot.service import PolicyBot

SUMMARY = (
    "Cited answers from the loaded policy documents, in Simplified or Traditional Chinese or English: "
    "every quote is verbatim from the source, every citation names the document and the clause."
)


def describe(bot: PolicyBot) -> str:
    """The API's description: what it does, and the documents loaded when the app was created."""
    corpus = getattr(bot, "corpus", None)
    documents = corpus.documents if corpus is not None else ()
    if not documents:
        return SUMMARY
    lines = [
        f"- 《{d.meta.title}》"
        + "".join(f" · {x}" for x in (d.meta.title_en, d.meta.number) if x)
        + f" (`{d.doc_id}`)"
        for d in documents
    ]
    return f"{SUMMARY}\n\nLoaded documents ({len(documents)}; see GET /v1/documents):\n\n" + "\n".join(lines)


def mount_offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI's files from the swagger-ui-bundle package."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/openapi-3.0.json", include_in_schema=False)
    def openapi_30() -> dict:
        return as_openapi_30(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # The bundled Swagger UI (4.x) reads OpenAPI 3.0 only; /openapi.json stays 3.1 for every other client.
        return get_swagger_ui_html(
            openapi_url="/openapi-3.0.json",
            title="policybot API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )


def add_error_handlers(app: FastAPI) -> None:
    """Every error as {"error": {"code", "message"}}, with the status that fits it."""

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


def create_app(
    bot: PolicyBot,
    feedback: FeedbackStore | None = None,
    reindex: Callable[[], None] | None = None,
    limiter: Limiter | None = None,
) -> FastAPI:
    server = bot.settings.server
    app = FastAPI(
        title="policybot",
        version="1",
        description=describe(bot),
        docs_url=None,  # served below from the bundled Swagger UI: the product runs offline, no CDN
        redoc_url=None,
    )
    mount_offline_docs(app)
    routers = [
        ask_router(bot),
        documents_router(bot),
        feedback_router(feedback),
        health_router(bot),
        admin_router(bot, reindex),
        chat_router(bot),
    ]
    own = [r for r in app.router.routes if isinstance(r, Route)] + [r for x in routers for r in x.routes]
    app.add_middleware(ApiMethodsMiddleware, routes=own)  # innermost: past the guards
    app.add_middleware(
        GuardMiddleware,
        limiter=limiter or TokenBucketLimiter(server.rate_limit_per_minute),
        body_limits={"/v1/admin/ingest": upload.MAX_REQUEST_BYTES},
        trusted_proxies=server.trusted_proxies,
    )
    # Closed unless origins are configured: with none listed no route, the mounted UI's included, answers a
    # foreign origin (and Gradio, seeing the app configure CORS itself, adds no headers of its own).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=server.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
    )
    with_event_schemas(app)
    add_error_handlers(app)
    for router in routers:
        app.include_router(router)
    return app
