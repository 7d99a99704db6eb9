"""The embedded member's SQL engine over maps: mappings, SELECT/INSERT/SINK/UPDATE/DELETE, and the Sql service.

Split as: :mod:`~hazelcast.embedded.sql.catalog` (mappings and their DDL), :mod:`~hazelcast.embedded.sql.expressions`
(typed expression compilation), :mod:`~hazelcast.embedded.sql.select` (query planning and evaluation),
:mod:`~hazelcast.embedded.sql.statements` (statement dispatch and DML), :mod:`~hazelcast.embedded.sql.entries`
(reading and writing map entries) and :mod:`~hazelcast.embedded.sql.service` (the protocol handlers and paging).
"""

from hazelcast.embedded.sql.service import SQL_SERVICE, open_cursor_count

__all__ = ["SQL_SERVICE", "open_cursor_count"]
