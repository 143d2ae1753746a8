"""Admin actions behind the configured bearer token: POST /v1/admin/reindex and /v1/admin/ingest."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import upload
from bot.api.docs import documented
from bot.api.models import ApiError, IdempotencyKey, disk_full
from bot.api.responses import Ingested, Status
from bot.corpus.load import SUPPORTED_SUFFIXES
from bot.idempotency import KeyReused, RequestLog

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


def rebuild(reindex: Callable[[], None], added: list[str] | None = None) -> None:
    """Run a reindex; a failure leaves the previous index serving and says so, with what was kept."""
    try:
        reindex()
    except Exception as exc:  # the reason is logged in full; the client gets a plain account
        log.exception("reindex failed")
        kept = f"documents added and kept in the corpus: {', '.join(added)}; " if added else ""
        if disk_full(exc):
            raise ApiError(
                507,
                "insufficient_storage",
                f"{kept}the index could not be rebuilt: the server's disk is full; the previous index is "
                "still being served. Free space, then retry with POST /v1/admin/reindex.",
            ) from None
        raise ApiError(
            503,
            "reindex_failed",
            f"{kept}the index could not be rebuilt ({type(exc).__name__}); the previous index is still "
            "being served. Retry with POST /v1/admin/reindex.",
        ) from None


def admin_router(bot: PolicyBot, reindex: Callable[[], None] | None) -> APIRouter:
    router = APIRouter()
    server = bot.settings.server
    busy = threading.Lock()  # one reindex or ingest at a time
    requests = functools.cache(lambda: RequestLog(bot.settings.data_dir / "requests.sqlite3", "ingest"))

    def authorize(credentials: HTTPAuthorizationCredentials | None) -> None:
        """Admin actions need the configured token as a bearer token; compared in constant time."""
        if server.admin_token is None:
            raise ApiError(404, "admin_disabled", "admin disabled")
        given = credentials.credentials.strip() if credentials is not None else ""
        if not given:
            raise ApiError(401, "unauthorized", "missing bearer token", {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), server.admin_token.get_secret_value().encode()):
            raise ApiError(403, "forbidden", "invalid admin token")

    @router.post(
        "/v1/admin/reindex",
        summary="Rebuild the index (Authorization: Bearer <admin token>)",
        response_model=None,
        responses=documented(Status, 401, 403, 404, 409, 413, 429, 501, 503, 507),
    )
    def admin_reindex(credentials: AdminCredentials) -> dict:
        authorize(credentials)
        if reindex is None:
            raise ApiError(501, "not_configured", "reindexing is not configured on this server")
        if not busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            rebuild(reindex)
        finally:
            busy.release()
        return {"status": "reindexed"}

    @router.post(
        "/v1/admin/ingest",
        summary="Add documents to the corpus (multipart field `files`), then reindex; all-or-nothing",
        response_model=None,
        responses=documented(Ingested, 401, 403, 404, 409, 413, 415, 422, 429, 503, 507),
        openapi_extra=UPLOAD_BODY,
    )
    async def admin_ingest(
        request: Request, credentials: AdminCredentials, idempotency_key: IdempotencyKey = None
    ) -> dict:
        authorize(credentials)  # before the body is parsed
        files = await uploaded_files(request)
        # Checked and read on trial (in a process stopped past a time limit) before the lock is taken.
        await run_in_threadpool(upload.trial_read, files, bot.settings.data_dir)
        if not busy.acquire(blocking=False):
            raise ApiError(409, "busy", "a reindex or ingest is already running")
        try:
            settings = bot.settings
            state = "new"
            if idempotency_key is not None:
                state, replay = claim(requests(), idempotency_key, files)
                if replay is not None:
                    return replay  # the first attempt's response: nothing is done twice
            try:
                added = await run_in_threadpool(
                    upload.ingest, files, settings.corpus_dir, settings.data_dir, state == "interrupted"
                )
            except Exception:
                if idempotency_key is not None:
                    requests().release(idempotency_key)  # nothing was added: the key is free again
                raise
            log.info("ingested %s", ", ".join(d.doc_id for d in added))
            if reindex is not None:
                await run_in_threadpool(rebuild, reindex, [d.doc_id for d in added])
            response = ingested(added, reindex is not None)
            if idempotency_key is not None:
                requests().complete(idempotency_key, response)
        finally:
            busy.release()
        return response

    return router


def claim(
    requests: RequestLog, key: str, files: list[tuple[str, bytes]]
) -> tuple[str, dict[str, Any] | None]:
    digest = hashlib.sha256(
        json.dumps(sorted([name, hashlib.sha256(data).hexdigest()] for name, data in files)).encode()
    ).hexdigest()
    try:
        return requests.claim(key, digest)
    except KeyReused as exc:
        raise ApiError(422, "idempotency_key_reused", str(exc)) from None


def ingested(added: list[Any], reindexed: bool) -> dict[str, Any]:
    return {
        "status": "ingested",
        "documents": [
            {
                "doc_id": d.doc_id,
                "title": d.meta.title,
                "shape": d.meta.shape,
                "clauses": len(d.clauses),
                "problems": list(d.problems),
            }
            for d in added
        ],
        "reindexed": reindexed,
    }
