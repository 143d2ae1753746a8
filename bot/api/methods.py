"""Methods and unknown paths answered by the API, not by the UI mounted at "/".

The web UI is a mount that claims every path, so without this a wrong method on an API route (GET /v1/ask)
or an unknown /v1 path would get the UI's 404 in another shape, and HEAD on a GET endpoint would be 404."""

from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.models import error_response

API_PREFIX = "/v1"


class ApiMethodsMiddleware:
    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes  # the API's own (not the mounts: the docs' files, the UI)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed: set[str] = set()
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                await self.app(scope, receive, send)
                return
            if match is Match.PARTIAL:  # the path is this route's; the method is not
                allowed |= set(getattr(route, "methods", None) or ())
        if allowed and scope["method"] == "HEAD" and "GET" in allowed:
            await self.app({**scope, "method": "GET"}, receive, without_body(send))
            return
        if allowed:
            methods = sorted(allowed | ({"HEAD"} if "GET" in allowed else set()))
            message = f"{scope['method']} is not allowed here; use {', '.join(methods)}"
            response = error_response(405, "method_not_allowed", message, {"Allow": ", ".join(methods)})
        elif scope["path"] == API_PREFIX or scope["path"].startswith(API_PREFIX + "/"):
            response = error_response(404, "not_found", f"no API endpoint at {scope['path']}; see /docs")
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


def without_body(send: Send) -> Send:
    """A GET response sent as the answer to HEAD: the same status and headers, no body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head
