"""Times one Python benchmark function; invoked by benchmarks/src/python.ts.

usage: driver.py FILE SETUP|- RUN REPEAT WARMUP
Prints one JSON line: {"times": [ms, ...], "maxRssKiB": peak resident set of this process}.
"""
import importlib.util
import json
import resource
import sys
import time


def main() -> None:
    path, setup_name, run_name, repeat, warmup = sys.argv[1:6]
    # Workload files share helpers (trees.py) that sit beside them.
    sys.path.insert(0, str(__import__("pathlib").Path(path).resolve().parent))
    spec = importlib.util.spec_from_file_location("workload", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ctx = getattr(mod, setup_name)() if setup_name != "-" else None
    run = getattr(mod, run_name)
    for _ in range(int(warmup)):
        run(ctx)
    times = []
    for _ in range(int(repeat)):
        t0 = time.perf_counter()
        run(ctx)
        times.append((time.perf_counter() - t0) * 1000.0)
    teardown = getattr(mod, "teardown", None)
    if teardown is not None:
        teardown(ctx)
    print(json.dumps({"times": times, "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
