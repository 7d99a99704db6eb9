"""SQL: ``client.sql.execute(...)`` runs a statement on the cluster and returns an :class:`SqlResult`.

::

    await client.sql.execute(
        "CREATE MAPPING people (__key INT, name VARCHAR, age INT) TYPE IMap "
        "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')"
    )
    async with await client.sql.execute("SELECT name, age FROM people WHERE age > ?", 30) as result:
        async for row in result:
            print(row["name"], row.get_object("age"))

A query runs on one data member, chosen at random as the official clients do. Its rows come in pages of at most
``cursor_buffer_size`` rows: the first with the execute response, the next ones fetched from that member while the
rows are iterated. A result that is not read to the end should be closed (``await result.close()``, or ``async with``)
so that the member drops the query; one that is dropped without being closed is closed on the member when it is
garbage collected, and every open result is closed when the client shuts down. A query is never retried: after a
failure it is up to the caller to run it again.

Values per column type: VARCHAR ``str``, BOOLEAN ``bool``, TINYINT/SMALLINT/INTEGER/BIGINT ``int``, DECIMAL
``decimal.Decimal``, REAL/DOUBLE ``float``, DATE ``datetime.date``, TIME ``datetime.time``, TIMESTAMP naive
``datetime.datetime``, TIMESTAMP_WITH_TIME_ZONE aware ``datetime.datetime``, OBJECT the deserialized object, NULL
``None``, JSON :class:`~hazelcast.core.HazelcastJsonValue`.
"""

from hazelcast.sql._metadata import (
    HazelcastSqlError,
    SqlColumnMetadata,
    SqlColumnType,
    SqlExpectedResultType,
    SqlRow,
    SqlRowMetadata,
)
from hazelcast.sql._service import SqlResult, SqlService

__all__ = [
    "HazelcastSqlError",
    "SqlColumnMetadata",
    "SqlColumnType",
    "SqlExpectedResultType",
    "SqlResult",
    "SqlRow",
    "SqlRowMetadata",
    "SqlService",
]
