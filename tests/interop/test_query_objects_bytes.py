"""Predicates, aggregators and projections serialize to the official hazelcast-python-client 5.7.0's exact bytes.

Members read these objects by factory id, class id and field order: the bytes must match for our client to query a
Java member, and for the embedded member to read what the official client sends.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from hazelcast import aggregator, predicate, projection
from hazelcast.config import Config
from hazelcast.serialization import SerializationService
from tests.interop.official_env import official_python

pytestmark = pytest.mark.interop

_OFFICIAL_PROGRAM = r"""
import json, sys
from hazelcast import aggregator, predicate, projection
from hazelcast.config import Config
from hazelcast.serialization.service import SerializationServiceV1

service = SerializationServiceV1(Config())
names = {"predicate": predicate, "aggregator": aggregator, "projection": projection}
json.dump({expr: service.to_data(eval(expr, names)).buffer.hex() for expr in json.load(sys.stdin)}, sys.stdout)
"""

EXPRESSIONS = [
    "predicate.sql('active AND age > 30')",
    "predicate.equal('age', 30)",
    "predicate.equal('name', None)",
    "predicate.not_equal('name', 'Bob')",
    "predicate.like('name', 'J%')",
    "predicate.ilike('name', 'j%')",
    "predicate.regex('name', '[AB].*')",
    "predicate.greater('age', 1.5)",
    "predicate.greater_or_equal('age', 2)",
    "predicate.less('age', 3)",
    "predicate.less_or_equal('__key', 'k')",
    "predicate.between('age', 10, 20)",
    "predicate.in_('age', 1, 'two', 3.0, True)",
    "predicate.instance_of('java.lang.String')",
    "predicate.and_(predicate.true(), predicate.equal('a', 1))",
    "predicate.or_(predicate.false(), predicate.sql('b = 2'))",
    "predicate.not_(predicate.equal('tags[any]', 'x'))",
    "predicate.true()",
    "predicate.false()",
    "predicate.paging(predicate.equal('a', 1), 5)",
    "predicate.paging(None, 3)",
    *(
        f"aggregator.{name}({argument})"
        for name in (
            "count", "distinct", "double_avg", "double_sum", "fixed_point_sum", "floating_point_sum", "int_avg",
            "int_sum", "long_avg", "long_sum", "max_", "min_", "number_avg",
        )
        for argument in ("", "'age'")
    ),
    "aggregator.max_by('age')",
    "aggregator.min_by('items[any].price')",
    "projection.single_attribute('address.city')",
    "projection.multi_attribute('name', '__key', 'this')",
    "projection.identity()",
]


def test_query_objects_match_the_official_bytes() -> None:
    completed = subprocess.run(
        [str(official_python()), "-c", _OFFICIAL_PROGRAM],
        input=json.dumps(EXPRESSIONS),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    official = json.loads(completed.stdout)
    service = SerializationService(Config())
    names = {"predicate": predicate, "aggregator": aggregator, "projection": projection}
    ours = {expr: bytes(service.to_data(eval(expr, names))).hex() for expr in EXPRESSIONS}  # noqa: S307
    assert ours == official
