"""Print the partition ids the official client computes for some key objects.

Run by the interpreter of the official hazelcast-python-client venv. stdin: a JSON list of key values (str, int
within int32, float, bool or lists of these), serialized as the official client would serialize those Python values.
stdout: a JSON list with each key's partition id for ``--partition-count`` partitions (default 271, the member's
default), computed from the serialized key exactly as the official partition service does.
"""

from __future__ import annotations

import argparse
import json
import sys

from hazelcast.config import Config
from hazelcast.hash import hash_to_index
from hazelcast.serialization.service import SerializationServiceV1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partition-count", type=int, default=271)
    args = parser.parse_args()
    serialization = SerializationServiceV1(Config())
    keys = json.load(sys.stdin)
    partition_ids = [
        hash_to_index(serialization.to_data(key).get_partition_hash(), args.partition_count) for key in keys
    ]
    json.dump(partition_ids, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
