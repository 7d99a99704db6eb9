"""Member configuration: files, validation and the member's name-pattern matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hazelcast.embedded import EmbeddedCluster, MemberConfig, StructureConfigs
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MapConfig
from hazelcast.errors import InvalidConfigurationError


def _configs(maps: dict) -> StructureConfigs:
    return StructureConfigs({"map": MAP_CONFIG_SECTION}, {"map": maps})


def test_exact_name_beats_wildcard_beats_default() -> None:
    configs = _configs({
        "default": {"backup-count": 2},
        "orders-*": {"time-to-live-seconds": 10},
        "orders-special": {"max-idle-seconds": 5},
    })
    assert configs.lookup("map", "orders-special") == MapConfig(max_idle_seconds=5)
    assert configs.lookup("map", "orders-1") == MapConfig(time_to_live_seconds=10)
    assert configs.lookup("map", "customers") == MapConfig(backup_count=2)


def test_most_specific_wildcard_wins_and_ties_are_errors() -> None:
    configs = _configs({"a*": {"backup-count": 1}, "ab*": {"backup-count": 2}, "*z": {"backup-count": 3}})
    assert configs.lookup("map", "abc").backup_count == 2
    assert configs.lookup("map", "xyz").backup_count == 3
    with pytest.raises(InvalidConfigurationError, match="equally well"):
        _configs({"a*": {}, "*z": {}}).lookup("map", "az")


def test_partition_key_suffix_is_ignored_and_no_match_means_builtin_defaults() -> None:
    configs = _configs({"orders": {"backup-count": 0}})
    assert configs.lookup("map", "orders@customer-7").backup_count == 0
    assert configs.lookup("map", "other") == MapConfig()


def test_underscore_keys_and_instances_are_accepted() -> None:
    configs = _configs({"a": {"time_to_live_seconds": 3}, "b": MapConfig(backup_count=0)})
    assert configs.lookup("map", "a").time_to_live_seconds == 3
    assert configs.lookup("map", "b").backup_count == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"time-to-live": 3}, "unknown setting"),
        ({"backup-count": "two"}, "expected an integer"),
        ({"backup-count": 7}, "between 0 and 6"),
        ({"per-entry-stats-enabled": 1}, "true or false"),
        ({"max-idle-seconds": -1}, ">= 0"),
    ],
)
def test_invalid_settings_are_rejected(settings: dict, message: str) -> None:
    with pytest.raises(InvalidConfigurationError, match=message):
        _configs({"m": settings})


def test_two_wildcards_in_a_pattern_are_rejected() -> None:
    with pytest.raises(InvalidConfigurationError, match="at most one"):
        _configs({"a*b*": {}})


def test_unknown_section_is_rejected_when_the_cluster_is_built() -> None:
    with pytest.raises(InvalidConfigurationError, match="unknown configuration sections"):
        EmbeddedCluster(config={"no-such-structure": {"default": {}}})


def test_max_backup_count_sizes_the_replica_count() -> None:
    cluster = EmbeddedCluster(config={"map": {"x*": {"backup-count": 3}}})
    assert cluster.replica_count == 4
    assert EmbeddedCluster().replica_count == 2


def test_from_dict_understands_the_hazelcast_layout() -> None:
    config = MemberConfig.from_dict({
        "hazelcast": {
            "cluster-name": "prod",
            "properties": {"hazelcast.partition.count": "17"},
            "credentials": {"username": "u", "password": "p"},
            "map": {"default": {"backup-count": 0}},
        }
    })
    assert config.cluster_name == "prod"
    assert config.partition_count == 17
    assert config.credentials is not None and config.credentials.username == "u"
    assert config.structures == {"map": {"default": {"backup-count": 0}}}


def test_invalid_cluster_settings_are_rejected() -> None:
    with pytest.raises(InvalidConfigurationError):
        MemberConfig.from_dict({"partition-count": 0})
    with pytest.raises(InvalidConfigurationError):
        MemberConfig.from_dict({"credentials": {"username": "only"}})
    with pytest.raises(InvalidConfigurationError):
        MemberConfig.from_dict({"cluster-name": ""})


def test_yaml_and_json_files(tmp_path: Path) -> None:
    yaml_file = tmp_path / "member.yaml"
    yaml_file.write_text(
        "hazelcast:\n"
        "  cluster-name: yaml-cluster\n"
        "  partition-count: 31\n"
        "  map:\n"
        "    orders-*:\n"
        "      time-to-live-seconds: 60\n",
        encoding="utf-8",
    )
    json_file = tmp_path / "member.json"
    json_file.write_text(json.dumps({"cluster-name": "json-cluster", "map": {"default": {"backup-count": 0}}}))
    from_yaml = MemberConfig.from_file(yaml_file)
    assert (from_yaml.cluster_name, from_yaml.partition_count) == ("yaml-cluster", 31)
    assert _configs(from_yaml.structures["map"]).lookup("map", "orders-x").time_to_live_seconds == 60
    assert MemberConfig.from_file(json_file).cluster_name == "json-cluster"
    bad = tmp_path / "member.txt"
    bad.write_text("{}")
    with pytest.raises(InvalidConfigurationError, match="must end in"):
        MemberConfig.from_file(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("map: [unclosed\n")
    with pytest.raises(InvalidConfigurationError, match="invalid YAML"):
        MemberConfig.from_file(broken)


async def test_cluster_uses_configured_partition_count_and_name(connect) -> None:
    async with EmbeddedCluster(config={"cluster-name": "other", "partition-count": 7}) as cluster:
        client = await connect(cluster.addresses[0], authenticate=False)
        assert (await client.authenticate(cluster_name="dev")).status == 1
        client = await connect(cluster.addresses[0], authenticate=False)
        response = await client.authenticate(cluster_name="other")
        assert response.status == 0 and response.partition_count == 7
