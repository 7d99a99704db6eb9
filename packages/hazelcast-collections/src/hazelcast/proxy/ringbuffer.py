"""The official client's import path of the ringbuffer's overflow policies and read results."""

from hazelcast.collections.ringbuffer import (
    MAX_BATCH_SIZE,
    OVERFLOW_POLICY_FAIL,
    OVERFLOW_POLICY_OVERWRITE,
    ReadResult,
    Ringbuffer,
)

__all__ = ["MAX_BATCH_SIZE", "OVERFLOW_POLICY_FAIL", "OVERFLOW_POLICY_OVERWRITE", "ReadResult", "Ringbuffer"]
