"""The API driven by its own OpenAPI document (schemathesis): generated requests never get a 500 and
every answer matches the documented status codes and schemas, on both database backends."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from monitor import users
from tests.web.conftest import World


def test_generated_requests_get_documented_answers_and_never_a_server_error(world: World) -> None:
    # A unit head's token: the role with the most refusals (403/404) to get right.
    with world.sessions.begin() as session:
        token = users.issue_token(session, email="kt@so.gov.vn", name="schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", world.app)
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) == 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers)

        check()
