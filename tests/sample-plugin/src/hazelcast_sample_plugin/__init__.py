"""A third-party style plugin: a CardinalityEstimator proxy for the client and its service for the embedded member.

It is found through entry points only (``hazelcast.plugins`` and ``hazelcast.embedded.plugins`` in its
pyproject.toml): no code registers it, which is what the tests prove.
"""
