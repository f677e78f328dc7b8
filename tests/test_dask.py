"""On a Dask cluster, extraction writes what a local run writes; one model load per worker."""

import json
import logging

import pytest
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.run import workers

from .scale_inputs import records, write

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.ERROR) as local:
        yield local


def extract(inputs, out, *options):
    result = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet",
                                      *options])
    assert result.exit_code == 0, result.output
    return out.read_bytes(), out.with_name(out.stem + ".documents.jsonl").read_bytes()


def by_claim_id(claims: bytes) -> list[bytes]:
    return sorted(claims.splitlines(), key=lambda line: json.loads(line)["claim_id"])


def test_a_cluster_run_writes_the_local_records(tmp_path, cluster):
    inputs = write(tmp_path / "in.jsonl", records(30))
    local = extract(inputs, tmp_path / "local.jsonl")
    remote = extract(inputs, tmp_path / "remote.jsonl", "--batch-size", "3",
                     "--dask-scheduler", cluster.scheduler_address)
    assert by_claim_id(remote[0]) == by_claim_id(local[0])
    assert remote == local
    assert not list(tmp_path.glob(".belnlp-partitions-*"))


def test_each_worker_builds_the_pipeline_once(tmp_path, cluster):
    inputs = write(tmp_path / "in.jsonl", records(12))
    for run in ("one", "two"):
        extract(inputs, tmp_path / f"{run}.jsonl", "--batch-size", "2",
                "--dask-scheduler", cluster.scheduler_address)
    with distributed.Client(cluster) as client:
        builds = client.run(lambda: workers.worker_pipeline.cache_info().misses)
    assert max(builds.values()) == 1


def test_the_dask_engine_starts_its_own_local_cluster(tmp_path):
    inputs = write(tmp_path / "in.jsonl", records(6))
    local = extract(inputs, tmp_path / "local.jsonl")
    assert extract(inputs, tmp_path / "dask.jsonl", "--engine", "dask", "--n-process", "2",
                   "--batch-size", "2") == local
