"""Speed and memory measurements, run on demand with ``python -m benchmarks``.

Each ``bench_<topic>.py`` module has a ``main()`` that runs its measurements
and prints them; none of them is a unit test.
"""
