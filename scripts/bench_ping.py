"""Benchmark: GET /api/v4/system/ping through the full application against a
bare Flask handler, both under the same gunicorn settings, in one run.

Prints requests/s of each and their ratio (goal: full/bare >= 0.75), the time
from start to the first answered request with the whole document loaded (goal:
under 3 s), and the resident memory of one worker of the full app (goal: under
150 MB). Load comes from wrk (Debian package 'wrk') on loopback.

    .venv/bin/python scripts/bench_ping.py [--workers 2] [--seconds 10] [--connections 64] [--rounds 3]

The apps alternate for --rounds rounds and the median of each is kept, so that
load from elsewhere on a shared machine hits both alike.
"""
import argparse
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app, workers, data_dir):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               MM_SQLSETTINGS_DATASOURCE=os.path.join(data_dir, "bench.db"),
               MM_FILESETTINGS_DIRECTORY=os.path.join(data_dir, "files"),
               MM_CONFIG=os.path.join(data_dir, "absent.json"))
    command = [sys.executable, "-m", "gunicorn", "scripts.bench_apps:" + app,
               "--worker-class", "gevent", "--workers", str(workers), "--bind", "127.0.0.1:%d" % port,
               "--worker-connections", "1000", "--log-level", "warning"]
    if "--control-socket-disable" in subprocess.run([sys.executable, "-m", "gunicorn", "--help"],
                                                    capture_output=True, text=True).stdout:
        command.append("--control-socket-disable")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=str(ROOT), env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = "http://127.0.0.1:%d/api/v4/system/ping" % port
    wait_for_answer(url, process, 60)
    return process, url, time.monotonic() - started


def wait_for_answer(url, process, timeout):
    """Poll url until it answers; fail if process exits or timeout seconds pass."""
    started = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None:
                output = process.stderr or process.stdout
                raise RuntimeError("server exited:\n%s" % (output.read().decode() if output else ""))
            if time.monotonic() - started > timeout:
                stop(process)
                raise RuntimeError("server did not answer within %d s" % timeout)
            time.sleep(0.05)


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def worker_rss_mb(process):
    """Resident memory of the largest worker (children of the gunicorn master)."""
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        try:
            status = pathlib.Path("/proc/%s/status" % pid).read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return max(sizes) if sizes else float("nan")


def wrk(url, seconds, connections):
    result = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "--latency", url],
                            capture_output=True, text=True)
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if not match:
        raise SystemExit("wrk failed:\n" + result.stdout + result.stderr)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise SystemExit("%s answered %s non-2xx responses" % (url, errors.group(1)))
    return float(match.group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    data_dir = tempfile.mkdtemp(prefix="mm-bench-")
    results = {"bare": [], "full": []}
    startup, rss = [], []
    try:
        for _ in range(args.rounds):
            for app in ("bare", "full"):
                process, url, took = start(app, args.workers, data_dir)
                try:
                    wrk(url, 2, args.connections)  # warm up
                    results[app].append(wrk(url, args.seconds, args.connections))
                    if app == "full":
                        startup.append(took)
                        rss.append(worker_rss_mb(process))
                finally:
                    stop(process)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    bare, full = statistics.median(results["bare"]), statistics.median(results["full"])
    print("GET /api/v4/system/ping, gunicorn gevent x%d workers, wrk %d connections, %d s x %d rounds"
          % (args.workers, args.connections, args.seconds, args.rounds))
    print("  bare Flask      %8.0f req/s   (rounds: %s)" % (bare, ", ".join("%.0f" % r for r in results["bare"])))
    print("  full app        %8.0f req/s   (rounds: %s)" % (full, ", ".join("%.0f" % r for r in results["full"])))
    print("  ratio full/bare %8.2f         (goal >= 0.75)" % (full / bare))
    print("  start to first answer %.2f s    (goal < 3 s; median of %s)"
          % (statistics.median(startup), ", ".join("%.2f" % s for s in startup)))
    print("  worker resident memory %.0f MB  (goal < 150 MB)" % max(rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
