"""The API keeps its published contract: schemathesis reads the app's own OpenAPI description
(the document /api/v1/openapi.json serves) and calls every documented operation of the live app
on the demo data with generated inputs. No answer may be a server error, and every answer must
be documented: its status code, its content type and its body's schema.

Hypothesis runs derandomized (the same examples on every run) and bounded per operation, so the
suite stays fast and CI is never flaky.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.demo import demo_site
from web.openapi import openapi_spec

SERVER = "http://localhost"  # the test client's address, as the served description names it

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for application in demo_site(tmp_path_factory, "openapi"):
        assert application.config["DEMO_LOADED"] > 100
        yield application


# Built at collection from the same function the app serves (schemathesis' fixture-based loader
# does not run under pytest 9); the first test proves the two documents are the same.
schema = schemathesis.openapi.from_dict(openapi_spec(SERVER))


def test_the_served_description_is_the_one_tested(site):
    served = site.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == openapi_spec(SERVER)
    assert set(served.get_json()["paths"]) == {op.path for op in _operations()}


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_documented_operation_answers_as_documented(case, site):
    case.call_and_validate(app=site, checks=CHECKS)


def test_stored_records_answer_as_documented(site):
    """Generated ids rarely name a stored release, so each kind of record is also asked for."""
    client = site.test_client()
    slug = client.get("/api/v1/clarifications").get_json()["results"][0]["slug"]
    release = client.get("/api/v1/search?q=banjir").get_json()["results"][0]["id"]
    calls = [
        ("/api/v1/clarifications/{slug}", {"slug": slug}),
        ("/api/v1/releases/{release_id}", {"release_id": int(release)}),
        (
            "/api/v1/releases/{release_id}/versions/{number}",
            {"release_id": int(release), "number": 1},
        ),
        ("/api/v1/releases/{release_id}/diff", {"release_id": int(release)}),
    ]
    for path, path_parameters in calls:
        case = schema[path]["GET"].Case(path_parameters=path_parameters)
        response = case.call_and_validate(app=site, checks=CHECKS)
        assert response.status_code == 200, path
