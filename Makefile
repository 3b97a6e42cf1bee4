# dusangire-analytics: build, test, demo and benchmark.
#   make deps      install missing system packages (apt; root or sudo)
#   make build     release build of the CLI
#   make test      swift tests against a throwaway embedded PostgreSQL
#   make demo      seed a fresh shop database, backfill 90 days, run yesterday, write output/
#   make bench     time a full backfill against a \copy of the orders (ORDERS=1000000)
#   make check-html render output/*.html and *.eml in headless Chromium; fail on errors or overflow at 390 px
#   scripts/screenshots.sh  after make demo: docs/email-phone.png and docs/pdf-page1.png for the README
#   make pg-start / pg-stop   the demo's embedded server (PG_DIR, default var/demo-pg)
#   make clean     stop embedded servers under var/, drop build artifacts, var/ and output/

SHELL := /bin/bash
BIN    := .build/release/dusangire-analytics
PG_DIR ?= var/demo-pg

.PHONY: deps build demo test bench clean pg-start pg-stop check-html

deps:
	scripts/install-deps.sh

build: deps
	swift build -c release --product dusangire-analytics

demo: build
	scripts/pg.sh start $(PG_DIR)
	DEMO_PG_DIR=$(PG_DIR) scripts/demo.sh

test: deps
	scripts/test.sh

bench: build
	scripts/bench.sh

# Render every HTML report in output/ with headless Chromium (installs it if missing); fails on any error.
check-html:
	scripts/check-html.sh output

pg-start:
	scripts/pg.sh start $(PG_DIR)

pg-stop:
	scripts/pg.sh stop $(PG_DIR)

clean:
	@for d in var/*-pg; do [[ -d "$$d" ]] && scripts/pg.sh destroy "$$d" || true; done
	swift package clean
	rm -rf var output
