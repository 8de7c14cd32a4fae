"""Stuurbord ETL: load the controller's Excel exports into a versioned DuckDB store.

Public entry points: `etl.pipeline.load` / `prepare` / `commit` / `restore`,
`etl.store` (connections, writer lock, backup) and the command line
`python -m etl` (etl/__main__.py).
"""
