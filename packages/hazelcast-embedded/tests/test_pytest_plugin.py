"""The pytest plugin's fixtures, run in test suites of their own (pytester), as an application would use them."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


def _run(pytester: pytest.Pytester, source: str, ini: str = _INI) -> pytest.RunResult:
    pytester.makeini(ini)
    pytester.makepyfile(source)
    return pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")


def test_cluster_and_client_fixtures_work_with_the_defaults(pytester: pytest.Pytester) -> None:
    result = _run(pytester, """
        from hazelcast.embedded import EmbeddedCluster

        async def test_one_member(hazelcast_cluster):
            assert isinstance(hazelcast_cluster, EmbeddedCluster)
            assert len(hazelcast_cluster.live_members) == 1

        async def test_client_talks_to_it(hazelcast_client, hazelcast_cluster):
            members = hazelcast_client.cluster_service.get_members()
            assert [m.uuid for m in members] == [hazelcast_cluster.members[0].uuid]
            assert hazelcast_client.lifecycle_service.is_running()
    """)
    result.assert_outcomes(passed=2)


def test_the_marker_and_the_faults_fixture(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", member="hazelcast:\n  cluster-name: marked\n  map:\n    default:\n      backup-count: 1\n")
    result = _run(pytester, """
        import pytest

        @pytest.mark.hazelcast(members=3, config="member.yaml", client={"smart_routing": False})
        async def test_faults_reach_the_cluster_and_the_client(hazelcast_client, hazelcast_cluster, hazelcast_faults):
            # Only what hazelcast-embedded itself depends on: no proxy distribution is needed here.
            assert hazelcast_cluster.cluster_name == "marked"
            assert len(hazelcast_cluster.live_members) == 3
            assert not hazelcast_client._config.smart_routing
            await hazelcast_faults.kill(1)
            assert len(hazelcast_cluster.live_members) == 2
            await hazelcast_faults.restart(1)
            assert len(hazelcast_cluster.live_members) == 3
            newcomer = await hazelcast_faults.add()
            assert newcomer.alive and len(hazelcast_cluster.live_members) == 4
            hazelcast_faults.delay("Client.getDistributedObjects", 0.05)
            assert await hazelcast_client.get_distributed_objects() == []
            hazelcast_faults.clear()

        @pytest.mark.hazelcast(members=0)
        async def test_bad_marker(hazelcast_cluster):
            pass
    """)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*members=...) needs an int >= 1*"])


def test_ini_options_give_the_suite_defaults(pytester: pytest.Pytester) -> None:
    pytester.makefile(".json", cluster='{"hazelcast": {"cluster-name": "from-ini"}}')
    result = _run(pytester, """
        async def test_defaults(hazelcast_cluster, hazelcast_client):
            assert len(hazelcast_cluster.live_members) == 2
            assert hazelcast_cluster.cluster_name == "from-ini"
            assert len(hazelcast_client.cluster_service.get_members()) == 2
    """, _INI + "hazelcast_members = 2\nhazelcast_config = cluster.json\n")
    result.assert_outcomes(passed=1)
