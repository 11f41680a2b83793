#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# promcheck.sh < FILE: FILE is a valid Prometheus text exposition with no
# problem at all by Prometheus's own checker, "promtool check metrics"
# (package prometheus): no parse error and no lint remark (help text,
# counter _total suffix, units, naming...); and every sample is a twstat_
# family. Problems on stderr, exit 1.
set -u
PROMTOOL=${PROMTOOL:-promtool}
in=$(mktemp)
trap 'rm -f "$in"' EXIT
cat >"$in"
if ! out=$("$PROMTOOL" check metrics <"$in" 2>&1) || [ -n "$out" ]; then
	echo "promtool check metrics: ${out:-failed}" >&2
	exit 1
fi
if grep -v '^#' "$in" | grep -qv '^twstat_'; then
	echo "not a twstat_ sample: $(grep -v '^#' "$in" | grep -v '^twstat_' | head -n1)" >&2
	exit 1
fi
