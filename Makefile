# Stuurbord — the two commands of the README are `make run` and `make test`.
# Everything they need (venv, packages, Chromium for browser tests) is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
export STUURBORD_DB ?= $(CURDIR)/data/stuurbord.duckdb
# glibc: the app's threads (one per session) share 2 malloc arenas instead of up to 8 per core,
# whose fragments stay allocated after large uploads (docs/architecture.md, "Memory")
export MALLOC_ARENA_MAX ?= 2

.PHONY: run test bench demo venv chromium nginx soffice clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

chromium:
	@sh scripts/ensure_chromium.sh

nginx:
	@sh scripts/ensure_deb.sh nginx nginx-light

soffice:
	@sh scripts/ensure_deb.sh soffice libreoffice-calc-nogui --optional

$(STUURBORD_DB):
	$(PY) -m etl demo

demo: $(STAMP)
	$(PY) -m etl demo

## run: the app on the embedded demo data (builds the demo database when missing)
run: $(STAMP)
	@test -f "$(STUURBORD_DB)" || $(PY) -m etl demo
	-@sh scripts/ensure_chromium.sh --optional
	$(PY) -m streamlit run app.py --server.address localhost --server.port $(PORT)

## test: the whole suite (unit, ETL, AppTest pages, real-browser tests)
test: $(STAMP) chromium nginx soffice
	$(PY) -m pytest -q

## bench: load, page, scale (100x, 20 sessions, replicas) and raadspakket speed as ratios against
## baselines measured in the same run; memory after refused uploads
bench: $(STAMP) chromium nginx
	@rc=0; $(PY) bench/run.py || rc=$$?; $(PY) bench/pack.py || rc=$$?; $(PY) bench/scale.py || rc=$$?; \
		$(PY) bench/upload_memory.py || rc=$$?; exit $$rc

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal data/*.lock
