"""The embedded member's executor service: runs clients' tasks through the Python server classes plugins register."""

from hazelcast.embedded.executor.service import (
    EXECUTOR_CONFIG_SECTION,
    EXECUTOR_SERVICE,
    EXECUTOR_SERVICE_NAME,
    ExecutorConfig,
)

__all__ = ["EXECUTOR_CONFIG_SECTION", "EXECUTOR_SERVICE", "EXECUTOR_SERVICE_NAME", "ExecutorConfig"]
