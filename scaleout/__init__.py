"""The analysis on Apache Spark (PySpark + GraphFrames): the scale-out path of docs/scale-out.md.

Imports :mod:`graph` (settings) and :mod:`algorithms` (constants) only; nothing here runs at import.
"""
