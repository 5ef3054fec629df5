"""Schemathesis against the app's own OpenAPI: for bounded generated requests to every
operation, in every role, no answer is a 5xx and every answer matches the schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from hubport.domain.access import ROLES
from tests.integration.app_hub import Api

#: Generated requests per operation (bounded: the suite stays fast).
CASES = 12
#: No 5xx; the status, the content type and the body as the schema documents them. (A
#: schema-valid request may still be refused with a 400 that names the problem, such as a
#: container number whose check digit is wrong: the schema cannot say that.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def test_no_request_gets_a_5xx_or_an_answer_off_the_schema(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.client.app)
    # the live stream never ends by design: its batch form is tested with the API
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.path != "/api/events"
    ]
    assert len(operations) >= 15
    for operation in operations:

        @settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            for role in ROLES:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {api.tokens[role]}"}, checks=CHECKS
                )

        check()
