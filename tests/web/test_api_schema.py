"""The API driven by its own OpenAPI document (schemathesis): generated requests never get a 500 and
every answer matches the documented status codes and schemas."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from monitor import users
from tests.web.conftest import World

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(world: World) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", world.app)


@pytest.fixture(params=["office@so.gov.vn", "kt@so.gov.vn"])
def bearer(world: World, request: pytest.FixtureRequest) -> dict[str, str]:
    with world.sessions.begin() as session:
        token = users.issue_token(session, email=request.param, name="schemathesis")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers_and_never_a_server_error(
    case: Any, bearer: dict[str, str]
) -> None:
    case.call_and_validate(headers=bearer)
