"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis 4, in-process ASGI).

Every operation gets bounded, derandomised examples (valid and invalid); every response must be no 5xx and
must conform to what the schema declares: a documented status code, a documented content type, a body
(JSON, or each server-sent event of a stream) that validates against the declared schema, and documented
headers. Nothing is excluded: the two streaming operations are validated event by event.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from bot.api import create_app
from bot.config import ServerSettings
from bot.feedback import FeedbackStore
from tests.helpers import with_server_settings

pytestmark = pytest.mark.slow

ADMIN_TOKEN = "fuzz-admin-token-0123456789"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,
    unsupported_method,
]
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def fuzz_app(bot: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh app for this module: a rate limit no fuzz run reaches, admin on, feedback into a temp file.

    The admin token is one the fuzzer cannot guess, so admin operations are fuzzed through 401/403 and never
    change the corpus or the index; `reindex` records a call that must never happen.
    """
    folder = tmp_path_factory.mktemp("fuzz")
    reindexed: list[int] = []
    fuzzed = with_server_settings(bot, rate_limit_per_minute=1_000_000, admin_token=SecretStr(ADMIN_TOKEN))
    app = create_app(
        fuzzed, feedback=FeedbackStore(folder / "feedback.sqlite3"), reindex=lambda: reindexed.append(1)
    )
    started = time.perf_counter()
    yield app
    print(f"\nfuzz run: {time.perf_counter() - started:.1f} s")
    assert reindexed == []


def schema_app() -> Any:
    """An app built only to publish the OpenAPI schema while pytest collects the tests: the schema does not
    depend on the bot but for its description, which lists the loaded documents (a test below checks the rest
    equals the fuzzed app's), and schemathesis' fixture-based loader (`schemathesis.pytest.from_fixture`)
    fails under pytest 9.2, so the schema is loaded here and each case is sent to the module's fuzz app."""
    stand_in = SimpleNamespace(settings=SimpleNamespace(server=ServerSettings()))
    return create_app(stand_in)  # type: ignore[arg-type]


# 413 is how this API rejects a body or question over its size limits; the other statuses are the defaults.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
            }
        }
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", schema_app(), config=CONFIG)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, fuzz_app: Any) -> None:
    case.call_and_validate(app=fuzz_app, checks=CHECKS)


def without_description(spec: dict[str, Any]) -> dict[str, Any]:
    """The schema without its description, the one part that depends on the bot (the documents it loaded)."""
    return {**spec, "info": {k: v for k, v in spec["info"].items() if k != "description"}}


def test_fuzzed_app_publishes_the_same_schema(fuzz_app: Any) -> None:
    published = TestClient(fuzz_app).get("/openapi.json").json()
    assert without_description(published) == without_description(schema.raw_schema)


def test_schema_declares_the_error_shape_and_statuses(fuzz_app: Any) -> None:
    spec = TestClient(fuzz_app).get("/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorDetail"]
    assert error["required"] == ["code", "message"]
    ingest = spec["paths"]["/v1/admin/ingest"]["post"]["responses"]
    assert set(ingest) == {"200", "401", "403", "404", "409", "413", "415", "422", "429", "503", "507"}
    assert ingest["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    ask = spec["paths"]["/v1/ask"]["post"]["responses"]
    assert set(ask) == {"200", "413", "422", "429"}
    assert set(ask["200"]["content"]) == {"application/json", "text/event-stream"}
    assert "Retry-After" in ask["429"]["headers"]


def test_rate_limit_still_answers_429_in_the_documented_shape(bot: Any) -> None:
    app = create_app(with_server_settings(bot, rate_limit_per_minute=2))
    limited = schemathesis.openapi.from_asgi("/openapi.json", app)
    client = TestClient(app)
    statuses = [client.get("/v1/models").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.post("/v1/search", json={"question": "专利"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
    operation = limited["/v1/search"]["POST"]
    case = operation.Case(body={"question": "专利"}, media_type="application/json")
    conformance = [status_code_conformance, content_type_conformance, response_schema_conformance]
    case.validate_response(response, checks=[*conformance, response_headers_conformance])
