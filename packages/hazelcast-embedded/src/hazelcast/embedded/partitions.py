"""Partition replica assignment: which member owns each partition and which members hold its backups.

Pure functions over member objects, so they are tested without sockets. The assignment moves as little as it can:

* an owner that is still alive keeps its partitions, unless it holds more than its fair share;
* a partition whose owner left goes to its first surviving backup (the backup is *promoted*: it already holds the data);
* partitions without an owner, and those shed by overloaded members, go to the members with the fewest;
* backups stay where they were when that keeps the replicas of a partition on distinct members, otherwise they go to
  the member with the fewest backups at that replica index; then members below their fair share of backups (a
  member that just joined) take backups over from those above it.

Every member ends with ``floor(P/n)`` or ``ceil(P/n)`` owned partitions and, when members outnumber the replicas of a
partition, at least ``floor(P/n)`` backups at each replica index.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

__all__ = ["assign_replicas"]

M = TypeVar("M", bound=Hashable)


def assign_replicas(
    partition_count: int,
    members: Sequence[M],
    previous: Sequence[Sequence[M]],
    replica_count: int,
) -> list[list[M]]:
    """The replica list (owner first, then backups) of every partition for the live ``members``.

    ``members`` are in join order; ``previous`` is the former table (any length, members that left may appear in it);
    ``replica_count`` is 1 + the number of backups wanted, capped by the number of members.
    """
    if not members:
        return [[] for _ in range(partition_count)]
    alive = set(members)
    owners = _assign_owners(partition_count, members, previous, alive)
    table = [[owner] for owner in owners]
    replicas = min(replica_count, len(members))
    for index in range(1, replicas):
        _assign_backups(table, index, members, previous, alive)
    return table


def _previous(previous: Sequence[Sequence[M]], partition: int) -> Sequence[M]:
    return previous[partition] if partition < len(previous) else ()


def _fair_shares(partition_count: int, members: Sequence[M], counts: dict[M, int]) -> dict[M, int]:
    base, extra = divmod(partition_count, len(members))
    order = {member: position for position, member in enumerate(members)}
    # The members that already hold the most keep the extra partitions, so fewer partitions move.
    ranked = sorted(members, key=lambda member: (-counts[member], order[member]))
    return {member: base + (1 if rank < extra else 0) for rank, member in enumerate(ranked)}


def _assign_owners(
    partition_count: int, members: Sequence[M], previous: Sequence[Sequence[M]], alive: set[M]
) -> list[M]:
    owners: list[M | None] = []
    counts = dict.fromkeys(members, 0)
    for partition in range(partition_count):
        owner = next((member for member in _previous(previous, partition) if member in alive), None)
        owners.append(owner)
        if owner is not None:
            counts[owner] += 1
    shares = _fair_shares(partition_count, members, counts)
    # Shed the highest partition ids of overloaded members first: deterministic, and it keeps low ids stable.
    for partition in range(partition_count - 1, -1, -1):
        owner = owners[partition]
        if owner is not None and counts[owner] > shares[owner]:
            owners[partition] = None
            counts[owner] -= 1
    cursor = 0
    for partition in range(partition_count):
        if owners[partition] is not None:
            continue
        while counts[members[cursor]] >= shares[members[cursor]]:
            cursor = (cursor + 1) % len(members)
        chosen = members[cursor]
        owners[partition] = chosen
        counts[chosen] += 1
        cursor = (cursor + 1) % len(members)
    return [owner for owner in owners if owner is not None]


def _assign_backups(
    table: list[list[M]], index: int, members: Sequence[M], previous: Sequence[Sequence[M]], alive: set[M]
) -> None:
    partition_count = len(table)
    ceiling = -(-partition_count // len(members))
    counts = dict.fromkeys(members, 0)
    chosen: list[M | None] = [None] * partition_count
    for partition, replicas in enumerate(table):
        # Any former holder of a replica (owner or backup) already has the data: keeping it there is free.
        for candidate in _previous(previous, partition):
            if candidate in alive and candidate not in replicas and counts[candidate] < ceiling:
                chosen[partition] = candidate
                counts[candidate] += 1
                break
    for partition, replicas in enumerate(table):
        member = chosen[partition]
        if member is None:
            member = min(
                (candidate for candidate in members if candidate not in replicas),
                key=lambda candidate: counts[candidate],
            )
            counts[member] += 1
        replicas.append(member)
    _even_out_backups(table, index, members, counts)


def _even_out_backups(table: list[list[M]], index: int, members: Sequence[M], counts: dict[M, int]) -> None:
    """Move backups at ``index`` from members above the fair floor to those below it.

    Keeping former holders can leave a joining member without backups: the partitions left over for it are often
    the ones it owns, where it cannot also be a backup. Here such a member takes backups of other partitions.
    """
    floor = len(table) // len(members)
    for under in members:
        if counts[under] >= floor:
            continue
        for replicas in table:
            current = replicas[index]
            if counts[current] > floor and under not in replicas:
                replicas[index] = under
                counts[current] -= 1
                counts[under] += 1
                if counts[under] >= floor:
                    break
