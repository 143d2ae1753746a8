"""OpenAPI documentation helpers: error responses, headers and server-sent event schemas."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from bot.api.responses import ChatChunk, ErrorBody, TextChunk

ERROR_DESCRIPTIONS = {
    401: "Missing bearer token",
    403: "Wrong admin token",
    404: "Not found, or the feature is disabled on this server",
    409: "An admin action is already running",
    413: "Body, question or file too large",
    415: "Unsupported media type or file type",
    422: "Invalid request or content",
    429: "Rate limited (see Retry-After)",
    501: "Not configured on this server",
    503: "Not ready, the index could not be rebuilt (the previous one is still served), or the database is unavailable",
    507: "The server's disk is full: nothing was saved (retry once space is freed)",
}
HEADER_DOCS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    429: {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "description": "seconds"}},
}


def json_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def event_stream(events: dict[str, dict[str, Any]], skip_data: str | None = None) -> dict[str, Any]:
    """The schema of one server-sent event: `event` names it, `data` is JSON of the schema for that name
    (an event whose data is `skip_data`, like OpenAI's final [DONE], is not JSON)."""
    rules = []
    for name, schema in events.items():
        condition: dict[str, Any] = {"required": ["event"], "properties": {"event": {"const": name}}}
        if skip_data is not None:
            condition["properties"]["data"] = {"not": {"const": skip_data}}
        json_data = {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}
        rules.append({"if": condition, "then": {"properties": {"data": json_data}}})
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"enum": list(events)}, "data": {"type": "string"}},
        "allOf": rules,
    }


ASK_EVENTS = event_stream(
    {"chunk": json_ref("TextChunk"), "answer": json_ref("Answer"), "error": json_ref("ErrorBody")}
)
CHAT_EVENTS = event_stream({"message": json_ref("ChatChunk"), "error": json_ref("ErrorBody")}, "[DONE]")


def with_event_schemas(app: FastAPI) -> None:
    """The models of event payloads are named only inside event-stream schemas: add them to components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            components = build().setdefault("components", {}).setdefault("schemas", {})
            for model in (TextChunk, ChatChunk):
                schema = model.model_json_schema(
                    ref_template="#/components/schemas/{model}", mode="serialization"
                )
                for name, definition in schema.pop("$defs", {}).items():
                    components.setdefault(name, definition)
                components[model.__name__] = schema
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def documented(
    model: Any, *errors: int, stream: dict[str, Any] | None = None, ok: int = 200
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: its success model (and event stream) and the error statuses it returns."""
    success: dict[str, Any] = {"model": model, "description": "Success"}
    if stream is not None:
        success["content"] = {"text/event-stream": {"schema": stream}}
    docs: dict[int | str, dict[str, Any]] = {ok: success}
    for status in errors:
        docs[status] = {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        if status in HEADER_DOCS:
            docs[status]["headers"] = HEADER_DOCS[status]
    return docs


def as_openapi_30(spec: dict[str, Any]) -> dict[str, Any]:
    """The same API in OpenAPI 3.0.3, for Swagger UI 4: null as `nullable`, `const` as a one-value enum, a
    schema's `examples` list as its `example`, numeric exclusive bounds as 3.0's boolean ones."""
    converted = _schema_30(spec)
    converted["openapi"] = "3.0.3"
    return converted


def _schema_30(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _schema_30(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        options = out.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            out.pop(key)
            if len(rest) == 1 and isinstance(rest[0], dict):
                out = {**rest[0], **out} if "$ref" not in rest[0] else {"allOf": rest, **out}
            elif rest:
                out[key] = rest
            out["nullable"] = True
    if isinstance(out.get("type"), list):
        types = [t for t in out["type"] if t != "null"]
        out["nullable"] = len(types) < len(out["type"]) or out.get("nullable", False)
        out["type"] = types[0] if len(types) == 1 else "string"
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("examples"), list) and "type" in out:
        examples = out.pop("examples")
        if examples:
            out["example"] = examples[0]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out.get(bound), bool):
            out[plain], out[bound] = out[bound], True
    return out
