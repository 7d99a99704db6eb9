"""The embedded member's PN counter service: CRDT replicas on the data members, replicated periodically.

The package exports what its service module does (its ``__all__``).
"""

from hazelcast.embedded.pncounter.service import *  # noqa: F403
from hazelcast.embedded.pncounter.service import __all__ as __all__
