"""Run the benchmarks: ``python -m benchmarks [topic ...]`` (default: all of them)."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv):
    available = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    chosen = argv or available
    unknown = sorted(set(chosen) - set(available))
    if unknown:
        sys.exit(f"unknown benchmark(s) {unknown}; available: {available}")
    for topic in chosen:
        print(f"== {topic} ==", flush=True)
        importlib.import_module(f"benchmarks.bench_{topic}").main()
        print(flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
