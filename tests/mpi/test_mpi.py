"""MPI runs (ctest label `mpi`, built with -DMIGSIM_WITH_MPI=ON; docs/CLUSTER.md).

The determinism contract across ranks: 1, 2 and 3 ranks x 1 and 2 threads, in both
decompositions, give the same bytes in every dataset (the journey table included) as one process; only rank 0 writes a
file; a rank that fails or is stopped ends the whole job with a clear message and a non-zero
exit, never a hang (every call has a timeout).

Environment: MIGSIM_BIN (the MPI build's migsim) and MIGSIM_MPIRUN (the launcher with its
flags, e.g. "mpirun --allow-run-as-root --oversubscribe").
"""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

REPO_ROOT = Path(__file__).resolve().parents[2]
MEDITERRANEAN = REPO_ROOT / "scenarios" / "mediterranean"
VISAS = MEDITERRANEAN / "variants" / "humanitarian-visas.yml"
MIGSIM = str(REPO_ROOT / os.environ.get("MIGSIM_BIN", "build/mpi/tools/migsim/migsim"))
MPIRUN = shlex.split(os.environ.get("MIGSIM_MPIRUN", "mpirun --allow-run-as-root --oversubscribe"))

# A short Mediterranean run in which both kinds of scarce places are contested: smugglers'
# seats (Aegean and Nador capacities cut) on most days and humanitarian visas (quota cut) on
# some, so that the exact selection across ranks is exercised, not only the sums. With a
# journey sample: its table (gathered to rank 0, in id order) is in the checksums too.
CONTESTED = ["run", str(VISAS), "--days", "150", "--replicates", "3", "-q", "--journeys", "0.1",
             "--set", "market:aegean_smugglers.capacity=40", "--set", "market:nador_boats.capacity=8",
             "--set", "pathway:humanitarian_visa.quota=150"]


def launch(ranks: int, *args, timeout: float = 120, env: dict | None = None, cwd=None):
    command = [*MPIRUN, "-np", str(ranks), MIGSIM, *map(str, args)] if ranks else [MIGSIM, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {})})


def checksums(path: Path) -> list[str]:
    result = launch(0, "info", "--checksums", path)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("serial") / "serial.h5"
    result = launch(0, *CONTESTED, "--threads", "1", "-o", out)
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:   # the run really contests places (else the test is weak)
        assert (f["market_unmet_demand"][0].sum(axis=1) > 0).sum() > 100
        applied, admitted = f["pathway_applications"][0], f["pathway_admissions"][0]
        assert ((admitted.sum(axis=1) > 0) & ((applied - admitted).sum(axis=1) > 0)).any()
        assert f["journeys/id"].shape[0] > 1000
    sums = checksums(out)
    assert any(line.startswith("journeys/route ") for line in sums)
    return sums


@pytest.mark.parametrize("decompose", ["replicates", "agents"])
@pytest.mark.parametrize("ranks", [1, 2, 3])
@pytest.mark.parametrize("threads", [1, 2])
def test_ranks_and_threads_give_the_serial_bytes(serial, tmp_path, decompose, ranks, threads):
    out = tmp_path / "run.h5"
    result = launch(ranks, *CONTESTED, "--threads", threads, "--decompose", decompose, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert checksums(out) == serial
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.h5"]   # only rank 0 wrote
    with h5py.File(out, "r") as f:
        assert f.attrs["ranks"] == ranks
        assert f.attrs["decomposition"] == decompose
        assert f.attrs["completed"] == 1


# Flee's rules (docs/FLEE.md): mali2012 at a tenth, its closures and first conflicts included.
FLEE = ["run", str(REPO_ROOT / "scenarios" / "flee-mali2012" / "reduced.yml"), "--days", "120",
        "--replicates", "2", "-q"]


@pytest.mark.parametrize("decompose, ranks", [("agents", 2), ("agents", 3), ("replicates", 2)])
def test_flee_rules_over_ranks_give_the_serial_bytes(tmp_path, decompose, ranks):
    serial = tmp_path / "serial.h5"
    assert launch(0, *FLEE, "--threads", "1", "-o", serial).returncode == 0
    out = tmp_path / "ranks.h5"
    result = launch(ranks, *FLEE, "--threads", "2", "--decompose", decompose, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert checksums(out) == checksums(serial)


@pytest.mark.parametrize("decompose, replicates", [("replicates", 1), ("replicates", 2), ("agents", 2)])
def test_a_sweep_over_ranks_is_the_serial_sweep(tmp_path, decompose, replicates):
    # With replicates over ranks, samples run side by side in waves that fill the ranks:
    # 5 samples x 1 replicate on 3 ranks is a wave of 3 samples, then one of 2.
    args = [MEDITERRANEAN, "--days", "60", "--replicates", replicates, "-q",
            "--param", "border:turkey_sea.patrol=0.1,0.3,0.5,0.7,0.9", "--threads", "1"]
    one, three = tmp_path / "one.h5", tmp_path / "three.h5"
    assert launch(0, "sweep", *args, "-o", one).returncode == 0
    result = launch(3, "sweep", *args, "--decompose", decompose, "-o", three)
    assert result.returncode == 0, result.stderr
    assert checksums(three) == checksums(one)
    with h5py.File(three, "r") as f:
        assert f["sample_completed"][()].tolist() == [1] * 5


def test_a_rank_that_fails_mid_run_ends_the_job(tmp_path):
    start = time.monotonic()
    result = launch(3, "run", MEDITERRANEAN, "--days", "40", "-q", "-o", tmp_path / "f.h5",
                    env={"MIGSIM_TEST_FAULT": "1:5"}, timeout=60)
    assert result.returncode != 0
    assert "migsim: rank 1: internal error: injected fault" in result.stderr
    assert time.monotonic() - start < 60
    with h5py.File(tmp_path / "f.h5", "r") as f:   # rank 0's file says it is not complete
        assert f.attrs["completed"] == 0


def test_output_error_on_rank_0_alone_ends_every_rank(tmp_path):
    result = launch(2, "run", MEDITERRANEAN, "--days", "5", "-q", "-o", tmp_path / "missing-dir" / "x.h5", timeout=60)
    assert result.returncode == 3
    assert "rank 0: output error" in result.stderr and "cannot create the output file" in result.stderr


def test_bad_input_everywhere_is_reported_once(tmp_path):
    result = launch(3, "run", MEDITERRANEAN, "--days", "5", "--set", "border:turkey_sea.patrol=1.5", "-o",
                    tmp_path / "x.h5", timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("migsim: ") == 1 and "turkey_sea.patrol" in result.stderr, result.stderr
    assert not (tmp_path / "x.h5").exists()


def shell_per_rank(ranks: int, script: str, timeout: float = 60, cwd=None):
    """Runs `script` under sh on every rank, with $R the rank and $M the migsim binary."""
    body = f'R=$OMPI_COMM_WORLD_RANK; M={shlex.quote(MIGSIM)}; {script}'
    return subprocess.run([*MPIRUN, "-np", str(ranks), "sh", "-c", body], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def test_bad_input_on_one_rank_is_reported_by_that_rank(tmp_path):
    result = shell_per_rank(2, f'if [ $R = 1 ]; then S=/nonexistent; else S={MEDITERRANEAN}; fi; '
                               f'exec $M run $S --days 5 -q -o {tmp_path}/x.h5')
    assert result.returncode == 2
    assert "rank 1: error: /nonexistent" in result.stderr


def test_ranks_that_read_different_scenarios_refuse_to_run(tmp_path):
    result = shell_per_rank(2, f'exec $M run {MEDITERRANEAN} --days 5 --set days=$((5 + R)) -q -o {tmp_path}/x.h5')
    assert result.returncode == 2
    assert "the ranks read different scenarios" in result.stderr


def test_a_signal_to_one_rank_stops_all_after_the_day(tmp_path):
    # Rank 1 sends itself SIGTERM after 1.5 s; the ranks agree to stop after that day, rank 0
    # flushes every finished day and the journey sample gathered so far, and all exit with 130.
    out = tmp_path / "stopped.h5"
    result = shell_per_rank(2, f'if [ $R = 1 ]; then (sleep 1.5; kill -TERM $$) & fi; '
                               f'exec $M run {MEDITERRANEAN} --threads 1 -q -o {out} '
                               f'--journeys 0.01 --decompose agents', timeout=120)
    assert result.returncode == 130, result.stderr
    with h5py.File(out, "r") as f:
        done = int(f.attrs["days_completed"])
        assert 0 < done < 1461 and f.attrs["completed"] == 0
        assert f["time"].shape[0] == done
        assert (f["agents_created"][0, :done] > 0).all()
        born, end_day, ids = f["journeys/born"][:], f["journeys/end_day"][:], f["journeys/id"][:]
        assert len(ids) > 0 and (born < done).all() and (end_day < done).all()
        assert (ids % 2 == 0).any() and (ids % 2 == 1).any(), "both ranks' agents are in the table"
        assert (ids[1:] > ids[:-1]).all()


def test_a_killed_rank_ends_the_job(tmp_path):
    out = tmp_path / "killed.h5"
    start = time.monotonic()
    result = shell_per_rank(2, f'if [ $R = 1 ]; then (sleep 1.5; kill -KILL $$) & fi; '
                               f'exec $M run {MEDITERRANEAN} --threads 1 -q -o {out}', timeout=120)
    assert result.returncode != 0
    assert time.monotonic() - start < 120
    with h5py.File(out, "r") as f:   # what rank 0 flushed before the job ended is readable
        assert f.attrs["completed"] == 0
        done = int(f.attrs["days_completed"])
        assert f["status_counts"][0, :done].shape[0] == done


def slurm_script(name: str, *args, env: dict, cwd: Path):
    launch_env = {**os.environ, "MIGSIM": MIGSIM, "LAUNCH": shlex.join([*MPIRUN, "-np", "2"]), **env}
    return subprocess.run(["bash", str(REPO_ROOT / "tools" / "slurm" / name), *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=launch_env)


def test_the_slurm_array_script_runs_its_line(tmp_path):
    # The script as an array task would run it, with mpirun standing in for srun.
    jobs = tmp_path / "jobs.txt"
    jobs.write_text(f"{MEDITERRANEAN} --days 30 --replicates 3 -o {tmp_path}/a.h5\n"
                    f"{MEDITERRANEAN} --days 30 --replicates 3 --set 'border:turkey_sea.patrol=0.5' -o {tmp_path}/b.h5\n")
    result = slurm_script("array.sbatch", jobs, env={"SLURM_ARRAY_TASK_ID": "1", "SLURM_CPUS_PER_TASK": "1"},
                          cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "a.h5").exists()
    serial = tmp_path / "serial.h5"
    assert launch(0, "run", MEDITERRANEAN, "--days", "30", "--replicates", "3", "-q",
                  "--set", "border:turkey_sea.patrol=0.5", "-o", serial).returncode == 0
    assert checksums(tmp_path / "b.h5") == checksums(serial)
    missing = slurm_script("array.sbatch", jobs, env={"SLURM_ARRAY_TASK_ID": "5"}, cwd=tmp_path)
    assert missing.returncode == 2 and "no line 6" in missing.stderr


def test_the_slurm_decomposed_script_splits_agents(tmp_path):
    result = slurm_script("decomposed.sbatch", MEDITERRANEAN, "--days", "30", "-q", "-o", tmp_path / "d.h5",
                          env={"SLURM_CPUS_PER_TASK": "2"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with h5py.File(tmp_path / "d.h5", "r") as f:
        assert f.attrs["decomposition"] == "agents" and f.attrs["ranks"] == 2 and f.attrs["threads"] == 2


def test_checkpoints_are_refused_over_ranks(tmp_path):
    result = launch(2, "run", MEDITERRANEAN, "--days", "5", "-q", "--checkpoint-every", "2", "-o", tmp_path / "c.h5")
    assert result.returncode == 2
    assert result.stderr.count("error: ") == 1 and "checkpoints are for runs on one process" in result.stderr


# Calibration (docs/CALIBRATION.md): points shared over ranks, the same file as one process.
@pytest.mark.parametrize("ranks", [2, 3])
def test_a_calibration_over_ranks_is_the_serial_calibration(tmp_path, ranks):
    spec = tmp_path / "spec.yml"
    spec.write_text(f"scenario: {REPO_ROOT / 'scenarios' / 'toy'}\nset: {{days: 40}}\nseed: 4\n"
                    "parameters:\n  border:strait.patrol: {prior: uniform, low: 0.05, high: 0.8}\n"
                    "  behaviour.switching_cost: {prior: log_uniform, low: 0.1, high: 10}\n"
                    "targets:\n  - {name: mainland, series: arrivals, entities: [mainland], observed: 150, "
                    "error: {relative: 0.2}}\nmethod:\n  abc_smc: {population: 30, generations: 2}\n")
    one, many = tmp_path / "one.h5", tmp_path / "many.h5"
    assert launch(0, "calibrate", spec, "-q", "--threads", "1", "-o", one).returncode == 0
    result = launch(ranks, "calibrate", spec, "-q", "--threads", "1", "-o", many, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert checksums(many) == checksums(one)
    with h5py.File(many, "r") as f:
        assert f.attrs["completed"] == 1 and f["particle_value"].shape == (3, 30, 2)


def test_sensitivity_over_ranks_is_the_serial_analysis(tmp_path):
    """`migsim sensitivity` is collective: the points are split over ranks, and 2 or 3 ranks give
    the serial runs and indices bit for bit; rank 0 alone writes the file and prints the table."""
    spec = REPO_ROOT / "scenarios" / "toy" / "calibration" / "sensitivity.yml"
    names = ("sample_value", "output_value", "morris_mu_star", "morris_mu_star_high", "sobol_first", "sobol_total",
             "sobol_total_low")
    files = {}
    for ranks in (0, 2, 3):
        out = tmp_path / f"sensitivity-{ranks}.h5"
        result = launch(ranks, "sensitivity", spec, "-o", out, "--threads", "1", "-q", timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("output arrivals_mainland") == 1, "rank 0 alone prints the table"
        with h5py.File(out, "r") as f:
            files[ranks] = {name: f[name][...] for name in names}
    for ranks in (2, 3):
        for name in names:
            np.testing.assert_array_equal(files[ranks][name], files[0][name], err_msg=f"{name} on {ranks} ranks")
