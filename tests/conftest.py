import os

# Figures are drawn off screen in the tests; set before pyplot is imported anywhere.
os.environ.setdefault("MPLBACKEND", "Agg")
