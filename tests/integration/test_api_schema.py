"""Schemathesis against the app's own OpenAPI: for bounded generated requests to every
operation, in every role, no answer is a 5xx and every answer matches the schema, the
days and times at their extremes included."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


#: Days and times as generated: the usual ones, and the extremes a person mistypes.
EXTREME_DAYS = st.sampled_from(["9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
schemathesis.openapi.format("date", st.one_of(st.dates().map(date.isoformat), EXTREME_DAYS))
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
        EXTREME_DAYS.map(lambda day: f"{day}T23:59:59+00:00"),
        EXTREME_DAYS.map(lambda day: f"{day}T00:00:00-12:00"),
    ),
)


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
