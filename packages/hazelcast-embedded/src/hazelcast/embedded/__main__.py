"""Run an embedded cluster as a process: ``python -m hazelcast.embedded --port 5701 --members 3``.

When every member listens, one JSON line goes to stdout::

    {"members": ["127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"], "control": "127.0.0.1:40111",
     "cluster_name": "dev", "partition_count": 271}

and the cluster runs until SIGTERM or SIGINT, or the control interface's ``shutdown`` command (see
``hazelcast.embedded.control``). Log records go to stderr, filtered by ``--log-level``, so that stdout carries nothing
but the ready line.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import signal
import sys
from collections.abc import Sequence

import structlog

from hazelcast.embedded.cluster import EmbeddedCluster
from hazelcast.embedded.config import MemberConfig
from hazelcast.embedded.control import ControlServer
from hazelcast.errors import InvalidConfigurationError

__all__ = ["main", "parse_args", "run"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hazelcast.embedded", description="Run an embedded Hazelcast cluster for tests and demos."
    )
    parser.add_argument("--port", type=int, default=5701, help="port of member 0; members use consecutive ports "
                        "(0 = free ports)")
    parser.add_argument("--members", type=int, default=1, help="number of members (default 1)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--config", help="member configuration file (.yaml, .yml or .json)")
    parser.add_argument("--cluster-name", help="cluster name (overrides the configuration file)")
    parser.add_argument("--control-port", type=int, default=0, help="localhost port of the control interface "
                        "(default: a free port)")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"],
                        help="lowest level of log records written to stderr (default warning)")
    args = parser.parse_args(argv)
    if args.members < 1:
        parser.error("--members must be at least 1")
    return args


def _member_config(args: argparse.Namespace) -> MemberConfig:
    config = MemberConfig.from_file(args.config) if args.config else MemberConfig()
    if args.cluster_name:
        config = dataclasses.replace(config, cluster_name=args.cluster_name)
    return config


async def run(args: argparse.Namespace) -> None:
    """Start the cluster and its control interface, print the ready line, wait for a stop request."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    cluster = EmbeddedCluster(args.members, _member_config(args), host=args.host, port=args.port)
    control = ControlServer(cluster, stop.set)
    async with cluster:
        control_address = await control.start("127.0.0.1", args.control_port)
        ready = {
            "members": cluster.addresses,
            "control": control_address,
            "cluster_name": cluster.cluster_name,
            "partition_count": cluster.partition_count,
        }
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        try:
            await stop.wait()
        finally:
            await control.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # This is the application entry point, not library code: the one place where logging output is chosen, so
    # that log records can never mix with the ready line on stdout (or fill a stdout pipe nobody reads).
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, args.log_level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    try:
        asyncio.run(run(args))
    except InvalidConfigurationError as error:
        print(f"invalid configuration: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cannot start the cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
