"""Partition replica assignment, without sockets."""

from __future__ import annotations

from collections import Counter

from hazelcast.embedded.partitions import assign_replicas


def _owners(table: list[list[str]]) -> Counter[str]:
    return Counter(replicas[0] for replicas in table)


def test_partitions_are_balanced_with_distinct_replicas() -> None:
    table = assign_replicas(271, ["a", "b", "c"], [], 2)
    assert sorted(_owners(table).values()) == [90, 90, 91]
    assert all(len(set(replicas)) == 2 for replicas in table)
    assert sorted(Counter(replicas[1] for replicas in table).values()) == [90, 90, 91]


def test_replica_count_is_capped_by_members() -> None:
    assert all(replicas == ["a"] for replicas in assign_replicas(10, ["a"], [], 3))


def test_backup_is_promoted_when_owner_leaves() -> None:
    before = assign_replicas(271, ["a", "b", "c"], [], 2)
    after = assign_replicas(271, ["a", "c"], before, 2)
    for old, new in zip(before, after, strict=True):
        if old[0] != "b":
            assert new[0] == old[0]
        elif old[1] != "b":
            assert new[0] == old[1]  # the backup holding the data becomes the owner
    assert sorted(_owners(after).values()) == [135, 136]
    assert all(len(set(replicas)) == 2 for replicas in after)


def test_joining_member_takes_a_fair_share_and_others_keep_the_rest() -> None:
    before = assign_replicas(271, ["a", "b"], [], 2)
    after = assign_replicas(271, ["a", "b", "c"], before, 2)
    assert sorted(_owners(after).values()) == [90, 90, 91]
    moved = sum(1 for old, new in zip(before, after, strict=True) if old[0] != new[0])
    assert moved == _owners(after)["c"]


def test_no_members_means_no_replicas() -> None:
    assert assign_replicas(3, [], [["a"], ["a"], ["a"]], 2) == [[], [], []]


def test_a_joining_member_takes_its_share_of_owners_and_of_every_backup_index() -> None:
    table = assign_replicas(271, ["a"], [], 3)
    for members in (["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d"]):
        table = assign_replicas(271, members, table, 3)
        floor = 271 // len(members)
        for index in range(min(3, len(members))):
            counts = Counter(replicas[index] for replicas in table)
            assert set(counts) == set(members), f"index {index} with {members}: {counts}"
            if len(members) > 3:
                # With more members than replicas there is room to move backups: everyone gets a fair share.
                assert min(counts.values()) >= floor, f"index {index} with {members}: {counts}"
        assert all(len(set(replicas)) == len(replicas) for replicas in table)
