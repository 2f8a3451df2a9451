# Browser demo targets (included from the top-level Makefile).
.PHONY: serve site
