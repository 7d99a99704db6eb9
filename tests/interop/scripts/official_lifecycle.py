"""Record what the official asyncio client reports around a connection: lifecycle states and partition ids.

Run by the interpreter of the official hazelcast-python-client venv::

    python official_lifecycle.py --members 127.0.0.1:5701 --timeout 20 < keys.json

stdin: a JSON list of keys. The client starts with a lifecycle listener in its configuration, asks the connected
partition service for each key's partition id, and shuts down. stdout: one JSON line
``{"ok": true, "states": [...], "partition_ids": [...], "partition_count": N}`` (or ``{"ok": false, "detail": ...}``);
the whole run is bounded by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import Config


async def run(members: list[str], keys: list[Any]) -> dict[str, Any]:
    states: list[str] = []
    config = Config()
    config.cluster_members = members
    config.cluster_name = "dev"
    config.lifecycle_listeners = [states.append]
    client = await HazelcastClient.create_and_start(config)
    try:
        partitions = client.partition_service
        partition_ids = [await partitions.get_partition_id(key) for key in keys]
        count = partitions.get_partition_count()
    finally:
        await client.shutdown()
    return {"ok": True, "states": states, "partition_ids": partition_ids, "partition_count": count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    keys = json.load(sys.stdin)
    try:
        result = asyncio.run(asyncio.wait_for(run(args.members.split(","), keys), args.timeout))
    except Exception as error:  # noqa: BLE001 - any failure becomes the one-line report
        result = {"ok": False, "detail": "".join(traceback.format_exception(error)).strip()}
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
