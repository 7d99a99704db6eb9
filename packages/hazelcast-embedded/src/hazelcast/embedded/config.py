"""Member configuration in the style of a Hazelcast member's YAML: cluster name, partitions, per-structure settings.

A configuration file (YAML or JSON) looks like::

    hazelcast:                       # optional wrapper, as in hazelcast.yaml
      cluster-name: dev
      partition-count: 271           # or properties: {hazelcast.partition.count: 271}
      credentials:                   # optional; without it clients must send no credentials
        username: admin
        password: secret             # or token: "..." for Client.authenticationCustom
      map:
        default:
          time-to-live-seconds: 0
        orders-*:
          backup-count: 2
          max-idle-seconds: 60

Sections other than the cluster-level keys (``map`` above) belong to member-side services, which declare them through
the ``hazelcast_embedded_structure_configs`` hook; a configuration names settings per object-name pattern, and
:class:`StructureConfigs` picks the settings of an object name the way a Hazelcast member does:

1. an exact name match;
2. else the pattern with a single ``*`` wildcard that matches with the most literal characters (two equally good
   matches are an error, as on a member);
3. else the ``default`` entry;
4. else the settings type's built-in defaults.

Like a member, the matched entry is used alone: fields it does not set take the built-in defaults, not those of
``default``. A partition-key suffix (``name@key``) is ignored for the lookup.
"""

from __future__ import annotations

import dataclasses
import json
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = [
    "DEFAULT_CLUSTER_NAME",
    "DEFAULT_PARTITION_COUNT",
    "DEFAULT_PATTERN",
    "CredentialsConfig",
    "MemberConfig",
    "StructureConfigs",
    "load_config_file",
    "parse_settings",
]

DEFAULT_CLUSTER_NAME = "dev"
DEFAULT_PARTITION_COUNT = 271
DEFAULT_PATTERN = "default"
#: The highest backup count a Hazelcast member allows (replica indexes 1..6).
MAX_BACKUP_COUNT = 6

_CLUSTER_KEYS = {"cluster-name", "cluster_name", "partition-count", "partition_count", "properties", "credentials"}
_PARTITION_COUNT_PROPERTY = "hazelcast.partition.count"


@dataclass(frozen=True, slots=True)
class CredentialsConfig:
    """Credentials clients must present.

    With ``username``/``password`` a client authenticates with ``Client.authentication`` carrying both; with ``token``
    it authenticates with ``Client.authenticationCustom`` carrying exactly these bytes. Without a credentials config,
    as on a member without security, clients must send neither username nor password.
    """

    username: str | None = None
    password: str | None = None
    token: bytes | None = None

    def __post_init__(self) -> None:
        # Clients send text and bytes: any other type (a YAML ``password: 1234`` reads as an int) could never match.
        for name in ("username", "password"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise InvalidConfigurationError(f"credentials {name} must be a string, got {value!r}")
        if self.token is not None and not isinstance(self.token, bytes):
            raise InvalidConfigurationError(
                f"credentials token must be bytes (text in a configuration file), got {self.token!r}"
            )
        if self.token is None and (self.username is None or self.password is None):
            raise InvalidConfigurationError("credentials need a username and a password, or a token")


@dataclass(slots=True)
class MemberConfig:
    """Cluster-level settings plus the raw per-structure sections (``{"map": {"orders-*": {...}}}``).

    The sections' settings may be mappings (hyphenated or field-name keys) or instances of the section's settings
    type; they are validated when a cluster is built, once the plugins have declared their sections.
    """

    cluster_name: str = DEFAULT_CLUSTER_NAME
    partition_count: int = DEFAULT_PARTITION_COUNT
    credentials: CredentialsConfig | None = None
    structures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.cluster_name, str) or not self.cluster_name:
            raise InvalidConfigurationError(f"cluster name must be a non-empty string, got {self.cluster_name!r}")
        if isinstance(self.partition_count, bool) or not isinstance(self.partition_count, int):
            raise InvalidConfigurationError(f"partition count must be an integer, got {self.partition_count!r}")
        if self.partition_count < 1:
            raise InvalidConfigurationError(f"partition count must be positive, got {self.partition_count}")
        for section, patterns in self.structures.items():
            if not isinstance(patterns, Mapping):
                raise InvalidConfigurationError(
                    f"section {section!r} must map object-name patterns to settings, got {patterns!r}"
                )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MemberConfig:
        """Build a config from the parsed content of a configuration file (see the module docstring)."""
        if not isinstance(data, Mapping):
            raise InvalidConfigurationError(f"a member configuration must be a mapping, got {type(data).__name__}")
        if set(data) == {"hazelcast"}:
            data = data["hazelcast"] or {}
            if not isinstance(data, Mapping):
                raise InvalidConfigurationError("the 'hazelcast' entry of a configuration must be a mapping")
        cluster_name = data.get("cluster-name", data.get("cluster_name", DEFAULT_CLUSTER_NAME))
        partition_count = data.get("partition-count", data.get("partition_count"))
        properties = data.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise InvalidConfigurationError("'properties' must be a mapping")
        if partition_count is None:
            partition_count = properties.get(_PARTITION_COUNT_PROPERTY, DEFAULT_PARTITION_COUNT)
        if isinstance(partition_count, str) and partition_count.strip().isdigit():
            # Hazelcast properties are strings in YAML files.
            partition_count = int(partition_count)
        credentials = _parse_credentials(data.get("credentials"))
        # A section that is not a mapping is passed on as it is, for __post_init__ to reject by name.
        structures = {
            key: dict(value) if isinstance(value, Mapping) else (value or {})
            for key, value in data.items()
            if key not in _CLUSTER_KEYS
        }
        return cls(
            cluster_name=cluster_name,
            partition_count=partition_count,
            credentials=credentials,
            structures=structures,
        )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> MemberConfig:
        """Load a YAML (``.yaml``/``.yml``) or JSON (``.json``) configuration file."""
        return cls.from_dict(load_config_file(path))


def load_config_file(path: str | os.PathLike[str]) -> Mapping[str, Any]:
    """The parsed content of a YAML or JSON configuration file, chosen by the file's extension."""
    file_path = Path(path)
    text = file_path.read_text(encoding="utf-8")
    suffix = file_path.suffix.lower()
    if suffix == ".json":
        try:
            content = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidConfigurationError(f"{file_path}: invalid JSON: {error}") from error
    elif suffix in (".yaml", ".yml"):
        import yaml

        try:
            content = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise InvalidConfigurationError(f"{file_path}: invalid YAML: {error}") from error
    else:
        raise InvalidConfigurationError(f"{file_path}: a configuration file must end in .yaml, .yml or .json")
    if content is None:
        return {}
    if not isinstance(content, Mapping):
        raise InvalidConfigurationError(f"{file_path}: the configuration must be a mapping")
    return content


def _parse_credentials(value: Any) -> CredentialsConfig | None:
    if value is None or isinstance(value, CredentialsConfig):
        return value
    if not isinstance(value, Mapping):
        raise InvalidConfigurationError(f"'credentials' must be a mapping, got {value!r}")
    unknown = set(value) - {"username", "password", "token"}
    if unknown:
        raise InvalidConfigurationError(f"unknown credentials settings: {sorted(unknown)}")
    token = value.get("token")
    if isinstance(token, str):
        token = token.encode("utf-8")
    return CredentialsConfig(username=value.get("username"), password=value.get("password"), token=token)


def parse_settings(settings_type: type[Any], value: Any, where: str) -> Any:
    """An instance of the dataclass ``settings_type`` from a mapping with hyphenated or field-name keys.

    ``value`` may already be an instance. Unknown keys and values of the wrong type raise
    :class:`~hazelcast.errors.InvalidConfigurationError`, naming ``where`` they were found.
    """
    if isinstance(value, settings_type):
        return value
    if value is None:
        return settings_type()
    if not isinstance(value, Mapping):
        raise InvalidConfigurationError(f"{where}: settings must be a mapping, got {value!r}")
    hints = typing.get_type_hints(settings_type)
    fields = {f.name for f in dataclasses.fields(settings_type)}
    kwargs: dict[str, Any] = {}
    for key, raw in value.items():
        name = str(key).replace("-", "_")
        if name not in fields:
            raise InvalidConfigurationError(f"{where}: unknown setting {key!r}")
        kwargs[name] = _check_type(raw, hints.get(name), f"{where}.{key}")
    try:
        return settings_type(**kwargs)
    except (TypeError, ValueError) as error:
        raise InvalidConfigurationError(f"{where}: {error}") from error


def _check_type(value: Any, expected: Any, where: str) -> Any:
    if expected is bool:
        if not isinstance(value, bool):
            raise InvalidConfigurationError(f"{where}: expected true or false, got {value!r}")
    elif expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidConfigurationError(f"{where}: expected an integer, got {value!r}")
    elif expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidConfigurationError(f"{where}: expected a number, got {value!r}")
        return float(value)
    elif expected is str and not isinstance(value, str):
        raise InvalidConfigurationError(f"{where}: expected a string, got {value!r}")
    return value


class StructureConfigs:
    """The validated per-structure settings of a cluster, with the member's name-pattern lookup.

    Lookups are cached per (section, name): services resolve an object's settings once, when its state is created.
    """

    def __init__(self, sections: Mapping[str, StructureConfigSpec], raw: Mapping[str, Mapping[str, Any]]) -> None:
        unknown = set(raw) - set(sections)
        if unknown:
            raise InvalidConfigurationError(
                f"unknown configuration sections {sorted(unknown)}; known: {sorted(sections)}"
            )
        self._specs = dict(sections)
        self._exact: dict[str, dict[str, Any]] = {}
        self._wildcards: dict[str, list[tuple[str, str, str, Any]]] = {}
        self._defaults: dict[str, Any] = {}
        self._whole: dict[str, Any] = {}
        for section, spec in sections.items():
            if not spec.per_name:
                self._whole[section] = parse_settings(spec.settings_type, raw.get(section), section)
                continue
            exact: dict[str, Any] = {}
            wildcards: list[tuple[str, str, str, Any]] = []
            for pattern, settings in (raw.get(section) or {}).items():
                pattern = str(pattern)
                parsed = parse_settings(spec.settings_type, settings, f"{section}.{pattern}")
                stars = pattern.count("*")
                if stars > 1:
                    raise InvalidConfigurationError(
                        f"{section}.{pattern}: a name pattern may hold at most one '*' wildcard"
                    )
                if stars == 1:
                    prefix, _, suffix = pattern.partition("*")
                    wildcards.append((pattern, prefix, suffix, parsed))
                else:
                    exact[pattern] = parsed
            self._exact[section] = exact
            self._wildcards[section] = wildcards
            self._defaults[section] = exact.get(DEFAULT_PATTERN) or spec.settings_type()
        self._cache: dict[tuple[str, str], Any] = {}

    def section_settings(self, section: str) -> Any:
        """The settings of a section that is one object for the whole cluster (``per_name=False``)."""
        return self._whole[section]

    def lookup(self, section: str, name: str) -> Any:
        """The settings that apply to the object ``name`` of section ``section`` (e.g. ``("map", "orders-1")``)."""
        key = (section, name)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._match(section, name)
        return cached

    def _match(self, section: str, name: str) -> Any:
        if section not in self._specs:
            raise KeyError(f"no configuration section {section!r}")
        base = name.partition("@")[0]
        exact = self._exact[section].get(base)
        if exact is not None:
            return exact
        best: tuple[int, str, Any] | None = None
        ambiguous: str | None = None
        for pattern, prefix, suffix, settings in self._wildcards[section]:
            if len(base) < len(prefix) + len(suffix) or not base.startswith(prefix) or not base.endswith(suffix):
                continue
            score = len(prefix) + len(suffix)
            if best is None or score > best[0]:
                best, ambiguous = (score, pattern, settings), None
            elif score == best[0]:
                ambiguous = pattern
        if best is not None:
            if ambiguous is not None:
                raise InvalidConfigurationError(
                    f"{section} name {name!r} matches both {best[1]!r} and {ambiguous!r} equally well"
                )
            return best[2]
        return self._defaults[section]

    def all_settings(self, section: str) -> list[Any]:
        """Every settings object configured for ``section``, the defaults included."""
        return [*self._exact[section].values(), *(w[3] for w in self._wildcards[section]), self._defaults[section]]

    def max_backup_count(self) -> int:
        """The highest ``backup_count`` any configured structure asks for (sizes the partition table)."""
        highest = 0
        for section in self._exact:
            for settings in self.all_settings(section):
                # The embedded member copies asynchronous backups at once too: they need replicas as well.
                backups = int(getattr(settings, "backup_count", 0) or 0)
                backups += int(getattr(settings, "async_backup_count", 0) or 0)
                highest = max(highest, backups)
        return min(highest, MAX_BACKUP_COUNT)
