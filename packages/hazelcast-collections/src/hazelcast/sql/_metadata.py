"""What a result is made of: column types and metadata, rows, and the SQL error."""

from __future__ import annotations

import enum
import uuid
from typing import Any

from hazelcast.errors import HazelcastError

__all__ = [
    "HazelcastSqlError",
    "SqlColumnMetadata",
    "SqlColumnType",
    "SqlExpectedResultType",
    "SqlRow",
    "SqlRowMetadata",
]


class SqlColumnType(enum.IntEnum):
    """SQL column types, by their protocol ids."""

    VARCHAR = 0
    BOOLEAN = 1
    TINYINT = 2
    SMALLINT = 3
    INTEGER = 4
    BIGINT = 5
    DECIMAL = 6
    REAL = 7
    DOUBLE = 8
    DATE = 9
    TIME = 10
    TIMESTAMP = 11
    TIMESTAMP_WITH_TIME_ZONE = 12
    OBJECT = 13
    NULL = 14
    JSON = 15


class SqlExpectedResultType(enum.IntEnum):
    """What a statement is expected to produce: anything, rows, or an update count (checked by the member)."""

    ANY = 0
    ROWS = 1
    UPDATE_COUNT = 2


class _SqlErrorCode:
    GENERIC = -1
    CONNECTION_PROBLEM = 1001
    CANCELLED_BY_USER = 1003
    TIMEOUT = 1004
    PARTITION_DISTRIBUTION = 1005
    MAP_LOADING_IN_PROGRESS = 1007
    PARSING = 1008
    INDEX_INVALID = 1009
    OBJECT_NOT_FOUND = 1010
    DATA_EXCEPTION = 2000


class HazelcastSqlError(HazelcastError):
    """A statement failed: ``code`` is the member's SQL error code (1008 parsing, 1010 object not found, 2000 data,
    1003 cancelled...), ``suggestion`` a statement that may fix it (a CREATE MAPPING for a missing mapping)."""

    def __init__(
        self,
        originating_member_uuid: uuid.UUID | None,
        code: int,
        message: str | None,
        cause: BaseException | None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message, cause)
        self._originating_member_uuid = originating_member_uuid
        self._code = code
        self._suggestion = suggestion

    @property
    def originating_member_uuid(self) -> uuid.UUID | None:
        """The member where the error happened (the client's own UUID for client-side errors)."""
        return self._originating_member_uuid

    @property
    def code(self) -> int:
        """The SQL error code."""
        return self._code

    @property
    def suggestion(self) -> str | None:
        """A statement that may fix the error, or None."""
        return self._suggestion


class SqlColumnMetadata:
    """Name, type and nullability of one result column."""

    __slots__ = ("_name", "_type", "_nullable")

    def __init__(self, name: str, column_type: int, nullable: bool = True, is_nullable_exists: bool = True) -> None:
        self._name = name
        self._type = column_type
        self._nullable = nullable if is_nullable_exists else True

    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> int:
        """The column's :class:`SqlColumnType`."""
        return self._type

    @property
    def nullable(self) -> bool:
        return self._nullable

    def __repr__(self) -> str:
        return f"{self._name} {_type_name(self._type)}"


def _type_name(type_id: int) -> str:
    try:
        return SqlColumnType(type_id).name
    except ValueError:
        return str(type_id)


class SqlRowMetadata:
    """The columns of a row set."""

    __slots__ = ("_columns", "_name_to_index")

    #: What :meth:`find_column` returns for a name that is not a column.
    COLUMN_NOT_FOUND = -1

    def __init__(self, columns: list[SqlColumnMetadata]) -> None:
        self._columns = columns
        self._name_to_index = {column.name: index for index, column in enumerate(columns)}

    @property
    def columns(self) -> list[SqlColumnMetadata]:
        return self._columns

    @property
    def column_count(self) -> int:
        return len(self._columns)

    def get_column(self, index: int) -> SqlColumnMetadata:
        """The metadata of column ``index`` (0-based); IndexError when out of range."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError("the column index must be an int")
        return self._columns[index]

    def find_column(self, column_name: str) -> int:
        """The index of the column named ``column_name`` (case-sensitive), or :attr:`COLUMN_NOT_FOUND`."""
        if not isinstance(column_name, str):
            raise TypeError("the column name must be a str")
        return self._name_to_index.get(column_name, SqlRowMetadata.COLUMN_NOT_FOUND)

    def __repr__(self) -> str:
        return "[" + ", ".join(repr(column) for column in self._columns) + "]"


class SqlRow:
    """One row: values by column name (``row.get_object("name")``, ``row["name"]``) or index (``row[0]``)."""

    __slots__ = ("_metadata", "_values")

    def __init__(self, row_metadata: SqlRowMetadata, row: Any) -> None:
        self._metadata = row_metadata
        self._values = row

    def get_object(self, column_name: str) -> Any:
        """The value of the column named ``column_name``; ValueError when there is no such column."""
        index = self._metadata.find_column(column_name)
        if index == SqlRowMetadata.COLUMN_NOT_FOUND:
            raise ValueError(f"Column '{column_name}' doesn't exist")
        return self._values[index]

    def get_object_with_index(self, column_index: int) -> Any:
        """The value of column ``column_index`` (0-based); IndexError when out of range."""
        if isinstance(column_index, bool) or not isinstance(column_index, int):
            raise TypeError("the column index must be an int")
        return self._values[column_index]

    @property
    def metadata(self) -> SqlRowMetadata:
        return self._metadata

    def __getitem__(self, item: int | str) -> Any:
        if isinstance(item, int) and not isinstance(item, bool):
            return self._values[item]
        return self.get_object(item)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        columns = self._metadata.columns
        return "[" + ", ".join(
            f"{column.name} {_type_name(column.type)}={value!r}" for column, value in zip(columns, self._values)
        ) + "]"


