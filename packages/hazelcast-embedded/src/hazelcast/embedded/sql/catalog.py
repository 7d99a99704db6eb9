"""Mappings: what a table name means (a map, its key and value formats, its columns), and the mapping DDL.

The DDL is Hazelcast's own (``CREATE [OR REPLACE] MAPPING [IF NOT EXISTS] name [EXTERNAL NAME map] [(column TYPE
[EXTERNAL NAME "__key.f"|"this.f"], ...)] TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat', ...)``,
``DROP MAPPING [IF EXISTS] name``, ``SHOW MAPPINGS``): SQL parsers do not know it, so it is read here by a small
tokenizer before anything else sees the statement.

Formats (``keyFormat``/``valueFormat``): a type name (``int``, ``bigint``, ``varchar``, ``double``, ``decimal``,
``date``, ``timestamp with time zone``...) for a value that is the whole key or value (the column ``__key`` or
``this``); ``json`` for a HazelcastJsonValue as a whole (a JSON column); ``json-flat`` for the top-level fields of a
JSON object; ``compact`` (``keyCompactTypeName``/``valueCompactTypeName``); ``portable`` (``keyPortableFactoryId``,
``keyPortableClassId``, ``keyPortableClassVersion`` and the value ones); ``java`` with ``keyJavaClass``/
``valueJavaClass`` naming a built-in Java type (``java.lang.Integer``...).

The catalog is cluster-wide: every member holds a copy, changed on all of them at once and copied to a joining
member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.types import ErrorCode, SqlFailure, parsing_error

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["Column", "Format", "Mapping", "MappingCatalog", "catalog_of", "parse_ddl", "seed_joining_member"]

SQL_STATE = "Sql"
KEY, THIS = "__key", "this"

_JAVA_CLASSES = {
    "java.lang.String": t.VARCHAR, "java.lang.Boolean": t.BOOLEAN, "boolean": t.BOOLEAN,
    "java.lang.Byte": t.TINYINT, "byte": t.TINYINT, "java.lang.Short": t.SMALLINT, "short": t.SMALLINT,
    "java.lang.Integer": t.INTEGER, "int": t.INTEGER, "java.lang.Long": t.BIGINT, "long": t.BIGINT,
    "java.lang.Float": t.REAL, "float": t.REAL, "java.lang.Double": t.DOUBLE, "double": t.DOUBLE,
    "java.math.BigDecimal": t.DECIMAL, "java.math.BigInteger": t.DECIMAL,
    "java.time.LocalDate": t.DATE, "java.time.LocalTime": t.TIME, "java.time.LocalDateTime": t.TIMESTAMP,
    "java.time.OffsetDateTime": t.TIMESTAMP_WITH_TIME_ZONE, "java.lang.Object": t.OBJECT,
    "com.hazelcast.core.HazelcastJsonValue": t.JSON,
}


@dataclass(frozen=True, slots=True)
class Format:
    """How a key or a value is stored: ``kind`` is ``primitive`` (one whole value of ``type_id``), ``json-flat``,
    ``compact`` (``type_name``) or ``portable`` (``factory_id``, ``class_id``, ``class_version``)."""

    kind: str
    type_id: int = t.OBJECT
    type_name: str | None = None
    factory_id: int = 0
    class_id: int = 0
    class_version: int = 0

    @property
    def is_object(self) -> bool:
        return self.kind != "primitive"


@dataclass(frozen=True, slots=True)
class Column:
    """A mapping column: ``path`` is ``__key``, ``this``, ``__key.f`` or ``this.f``."""

    name: str
    type_id: int
    path: str
    hidden: bool = False

    @property
    def of_key(self) -> bool:
        return self.path == KEY or self.path.startswith(KEY + ".")

    @property
    def field(self) -> str | None:
        """The field name inside the key or value, None for the whole key or value."""
        return None if self.path in (KEY, THIS) else self.path.split(".", 1)[1]


@dataclass(slots=True)
class Mapping:
    name: str
    map_name: str
    key_format: Format
    value_format: Format
    columns: list[Column]
    options: dict[str, str] = field(default_factory=dict)
    ddl: str = ""

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    @property
    def visible_columns(self) -> list[Column]:
        return [column for column in self.columns if not column.hidden]


class MappingCatalog:
    """The mappings one member knows, by name."""

    __slots__ = ("mappings",)

    def __init__(self, mappings: dict[str, Mapping] | None = None) -> None:
        self.mappings: dict[str, Mapping] = dict(mappings or {})


def catalog_of(member: EmbeddedMember) -> MappingCatalog:
    catalog = member.service_states.get(SQL_STATE)
    if catalog is None:
        catalog = member.service_states[SQL_STATE] = MappingCatalog()
    return catalog


def seed_joining_member(cluster: EmbeddedCluster, member: EmbeddedMember) -> None:
    """A joining member gets a copy of the cluster's mappings."""
    if cluster.live_members:
        member.service_states[SQL_STATE] = MappingCatalog(catalog_of(cluster.live_members[0]).mappings)


# -- the DDL ----------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quoted>"(?:[^"]|"")*")
      | (?P<string>'(?:[^']|'')*')
      | (?P<number>-?\d+)
      | (?P<word>[A-Za-z_$][\w$]*)
      | (?P<punct>[(),=.;])
    )""",
    re.VERBOSE,
)
_DDL_START = re.compile(r"^\s*(CREATE\s+(OR\s+REPLACE\s+)?MAPPING\b|DROP\s+MAPPING\b|SHOW\s+MAPPINGS\b)", re.I)


@dataclass(slots=True)
class CreateMapping:
    mapping: Mapping
    replace: bool
    if_not_exists: bool


@dataclass(slots=True)
class DropMapping:
    name: str
    if_exists: bool


@dataclass(slots=True)
class ShowMappings:
    pass


def is_ddl(sql: str) -> bool:
    return _DDL_START.match(sql) is not None


class _Tokens:
    def __init__(self, sql: str) -> None:
        self.items: list[tuple[str, str]] = []
        position = 0
        sql = sql.rstrip().rstrip(";")
        while position < len(sql):
            match = _TOKEN.match(sql, position)
            if match is None or match.end() == position:
                if sql[position:].strip() == "":
                    break
                raise parsing_error(f"Encountered unexpected character {sql[position:].strip()[0]!r} at position "
                                    f"{position + 1}")
            kind = match.lastgroup or ""
            self.items.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.index + offset
        return self.items[index] if index < len(self.items) else None

    def next(self, what: str) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise parsing_error(f"Encountered end of statement, was expecting {what}")
        self.index += 1
        return token

    def keyword(self, *words: str) -> bool:
        """Consume the keywords if they come next (case-insensitive)."""
        for offset, word in enumerate(words):
            token = self.peek(offset)
            if token is None or token[0] != "word" or token[1].upper() != word:
                return False
        self.index += len(words)
        return True

    def expect(self, *words: str) -> None:
        if not self.keyword(*words):
            token = self.peek()
            found = "end of statement" if token is None else repr(token[1])
            raise parsing_error(f"Encountered {found}, was expecting {' '.join(words)}")

    def punct(self, symbol: str) -> bool:
        token = self.peek()
        if token is not None and token == ("punct", symbol):
            self.index += 1
            return True
        return False

    def identifier(self, what: str = "an identifier") -> str:
        kind, text = self.next(what)
        if kind == "quoted":
            return text[1:-1].replace('""', '"')
        if kind == "word":
            return text
        raise parsing_error(f"Encountered {text!r}, was expecting {what}")

    def compound(self) -> str:
        """A possibly qualified name (``a.b.c``), as its parts joined with dots."""
        parts = [self.identifier()]
        while self.punct("."):
            parts.append(self.identifier())
        return ".".join(parts)

    def string(self) -> str:
        kind, text = self.next("a string literal")
        if kind != "string":
            raise parsing_error(f"Encountered {text!r}, was expecting a string literal")
        return text[1:-1].replace("''", "'")

    def done(self) -> bool:
        return self.index >= len(self.items)


def _object_name(compound: str) -> str:
    # hazelcast.public.x and public.x name the same mapping as x.
    parts = compound.split(".")
    if len(parts) == 3 and parts[0] == "hazelcast" and parts[1] == "public":
        return parts[2]
    if len(parts) == 2 and parts[0] == "public":
        return parts[1]
    if len(parts) > 1:
        raise SqlFailure(ErrorCode.PARSING, f"The mapping must be created in the \"public\" schema: {compound}")
    return compound


def parse_ddl(sql: str) -> CreateMapping | DropMapping | ShowMappings:
    tokens = _Tokens(sql)
    if tokens.keyword("SHOW", "MAPPINGS"):
        statement: Any = ShowMappings()
    elif tokens.keyword("DROP", "MAPPING"):
        if_exists = tokens.keyword("IF", "EXISTS")
        statement = DropMapping(_object_name(tokens.compound()), if_exists)
    else:
        tokens.expect("CREATE")
        replace = tokens.keyword("OR", "REPLACE")
        tokens.expect("MAPPING")
        if_not_exists = tokens.keyword("IF", "NOT", "EXISTS")
        if replace and if_not_exists:
            raise parsing_error("OR REPLACE in conjunction with IF NOT EXISTS not supported")
        name = _object_name(tokens.compound())
        map_name = name
        if tokens.keyword("EXTERNAL", "NAME"):
            map_name = tokens.compound()
        declared: list[tuple[str, int, str | None]] = []
        if tokens.punct("("):
            while True:
                column_name = tokens.identifier("a column name")
                type_words: list[str] = []
                while True:
                    token = tokens.peek()
                    if token is None or token[0] != "word" or token[1].upper() == "EXTERNAL":
                        break
                    type_words.append(tokens.next("a type")[1])
                if tokens.punct("("):  # VARCHAR(10), DECIMAL(10, 2): the sizes do not matter here
                    while not tokens.punct(")"):
                        tokens.next("')'")
                if not type_words:
                    raise parsing_error(f"Encountered {tokens.peek()!r}, was expecting the type of {column_name}")
                external: str | None = None
                if tokens.keyword("EXTERNAL", "NAME"):
                    token = tokens.peek()
                    external = tokens.string() if token is not None and token[0] == "string" else tokens.compound()
                declared.append((column_name, t.parse_type_name(" ".join(type_words)), external))
                if tokens.punct(")"):
                    break
                if not tokens.punct(","):
                    raise parsing_error(f"Encountered {tokens.peek()!r}, was expecting ',' or ')'")
        tokens.expect("TYPE")
        connector = tokens.identifier("a connector type")
        if connector.lower() != "imap":
            raise SqlFailure(ErrorCode.GENERIC, f"Unknown connector type: {connector}")
        options: dict[str, str] = {}
        if tokens.keyword("OPTIONS"):
            if not tokens.punct("("):
                raise parsing_error("Encountered end of OPTIONS, was expecting '('")
            while not tokens.punct(")"):
                option = tokens.string()
                if not tokens.punct("="):
                    raise parsing_error(f"Encountered {tokens.peek()!r}, was expecting '='")
                options[option] = tokens.string()
                tokens.punct(",")
        mapping = build_mapping(name, map_name, declared, options, sql.strip().rstrip(";"))
        statement = CreateMapping(mapping, replace, if_not_exists)
    if not tokens.done():
        raise parsing_error(f"Encountered {tokens.peek()[1]!r} after the end of the statement")  # type: ignore[index]
    return statement  # type: ignore[no-any-return]


def _format(options: dict[str, str], side: str) -> Format:
    name = options.get(f"{side}Format")
    if name is None:
        raise SqlFailure(ErrorCode.GENERIC, f"Missing '{side}Format' option")
    lowered = " ".join(name.lower().split())
    if lowered == "json-flat":
        return Format("json-flat")
    if lowered == "json":
        return Format("primitive", t.JSON)
    if lowered == "compact":
        type_name = options.get(f"{side}CompactTypeName")
        if not type_name:
            raise SqlFailure(ErrorCode.GENERIC, f"Unable to resolve table metadata. Missing '{side}CompactTypeName' "
                                                "option")
        return Format("compact", type_name=type_name)
    if lowered == "portable":
        try:
            factory_id = int(options[f"{side}PortableFactoryId"])
            class_id = int(options[f"{side}PortableClassId"])
        except (KeyError, ValueError):
            raise SqlFailure(ErrorCode.GENERIC, f"Unable to resolve table metadata. Missing '{side}PortableFactoryId'"
                                                f" or '{side}PortableClassId' option") from None
        return Format("portable", factory_id=factory_id, class_id=class_id,
                      class_version=int(options.get(f"{side}PortableClassVersion", "0")))
    if lowered == "java":
        class_name = options.get(f"{side}JavaClass")
        if not class_name:
            raise SqlFailure(ErrorCode.GENERIC, f"Unable to resolve table metadata. Missing '{side}JavaClass' option")
        type_id = _JAVA_CLASSES.get(class_name)
        if type_id is None:
            raise SqlFailure(ErrorCode.GENERIC, f"Java class {class_name} is not available on this member; only the "
                                                "built-in Java types can be mapped with the 'java' format")
        return Format("primitive", type_id)
    try:
        return Format("primitive", t.parse_type_name(lowered))
    except SqlFailure:
        raise SqlFailure(ErrorCode.GENERIC, f"Unsupported serialization format: {name}") from None


def build_mapping(
    name: str, map_name: str, declared: list[tuple[str, int, str | None]], options: dict[str, str], ddl: str
) -> Mapping:
    key_format = _format(options, "key")
    value_format = _format(options, "value")
    columns: list[Column] = []
    seen: set[str] = set()
    for column_name, type_id, external in declared:
        if column_name in seen:
            raise SqlFailure(ErrorCode.PARSING, f"Column '{column_name}' specified more than once")
        seen.add(column_name)
        path = external if external is not None else column_name
        if path not in (KEY, THIS) and not path.startswith((KEY + ".", THIS + ".")):
            if external is not None:
                raise SqlFailure(ErrorCode.GENERIC, f"Invalid external name: {external}")
            path = f"{THIS}.{column_name}"
        side_format = key_format if path == KEY or path.startswith(KEY + ".") else value_format
        if "." in path and not side_format.is_object:
            raise SqlFailure(
                ErrorCode.GENERIC,
                f"The field '{path}' cannot be mapped: the {'key' if side_format is key_format else 'value'} "
                "format is not an object format",
            )
        if "." not in path and not side_format.is_object and type_id != side_format.type_id:
            raise SqlFailure(ErrorCode.GENERIC, f"Mismatch between declared and resolved type: {column_name}")
        if "." not in path and side_format.is_object and type_id != t.OBJECT:
            raise SqlFailure(ErrorCode.GENERIC, f"'{path}' of an object format must be of type OBJECT")
        columns.append(Column(column_name, type_id, path))
    for side, side_format in ((KEY, key_format), (THIS, value_format)):
        if any(column.path == side for column in columns):
            continue
        if declared and not side_format.is_object:
            # The whole key/value is still queryable under its own name, just not listed by SELECT *.
            columns.append(Column(side, side_format.type_id, side, hidden=True))
        elif not declared and not side_format.is_object:
            columns.append(Column(side, side_format.type_id, side))
        else:
            columns.append(Column(side, t.OBJECT, side, hidden=True))
    if not declared and (key_format.is_object or value_format.is_object):
        raise SqlFailure(
            ErrorCode.GENERIC,
            f"Unable to resolve table metadata of mapping {name!r}: declare the columns of its "
            f"{'key' if key_format.is_object else 'value'} format",
        )
    if not declared:
        columns.sort(key=lambda column: column.path != KEY)
    return Mapping(name, map_name, key_format, value_format, columns, dict(options), ddl)


def suggest_mapping(name: str, sample: tuple[Any, Any] | None) -> str | None:
    """A CREATE MAPPING statement that would fit a map whose sample entry (key, value) is given."""
    if sample is None:
        return None
    parts = [_suggested_side(sample[0], "key"), _suggested_side(sample[1], "value")]
    if None in parts:
        return None
    columns = [column for part in parts for column in part[1]]  # type: ignore[index]
    separator = ",\n  "
    column_text = "\n(\n  " + separator.join(columns) + "\n)" if columns else ""
    options = ",\n  ".join(option for part in parts for option in part[0])  # type: ignore[index]
    return f'CREATE OR REPLACE MAPPING "{name}"{column_text}\nTYPE IMap\nOPTIONS (\n  {options}\n)'


def _suggested_side(value: Any, side: str) -> tuple[list[str], list[str]] | None:
    from hazelcast.core import HazelcastJsonValue
    from hazelcast.serialization.generic_record import GenericRecord

    prefix = "__key" if side == "key" else "this"
    if isinstance(value, GenericRecord):
        from hazelcast.serialization.compact import CompactGenericRecord

        if not isinstance(value, CompactGenericRecord):
            return None
        columns = []
        for field_name in value.get_field_names():
            type_id = _KIND_TYPES.get(value.get_field_kind(field_name).name, t.OBJECT)
            columns.append(f'"{field_name}" {t.type_name(type_id)} EXTERNAL NAME "{prefix}.{field_name}"')
        return [f"'{side}Format' = 'compact'", f"'{side}CompactTypeName' = '{value.get_type_name()}'"], columns
    if isinstance(value, HazelcastJsonValue):
        return [f"'{side}Format' = 'json'"], []
    type_id = t.type_of_value(value)
    if type_id in (t.OBJECT, t.NULL):
        return None
    if type_id == t.BIGINT:
        type_id = t.INTEGER if -(2**31) <= value < 2**31 else t.BIGINT
    return [f"'{side}Format' = '{t.type_name(type_id).lower()}'"], []


_KIND_TYPES = {
    "BOOLEAN": t.BOOLEAN, "NULLABLE_BOOLEAN": t.BOOLEAN, "INT8": t.TINYINT, "NULLABLE_INT8": t.TINYINT,
    "INT16": t.SMALLINT, "NULLABLE_INT16": t.SMALLINT, "INT32": t.INTEGER, "NULLABLE_INT32": t.INTEGER,
    "INT64": t.BIGINT, "NULLABLE_INT64": t.BIGINT, "FLOAT32": t.REAL, "NULLABLE_FLOAT32": t.REAL,
    "FLOAT64": t.DOUBLE, "NULLABLE_FLOAT64": t.DOUBLE, "STRING": t.VARCHAR, "DECIMAL": t.DECIMAL, "TIME": t.TIME,
    "DATE": t.DATE, "TIMESTAMP": t.TIMESTAMP, "TIMESTAMP_WITH_TIMEZONE": t.TIMESTAMP_WITH_TIME_ZONE,
}
