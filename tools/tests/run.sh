#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of tools/twstat, TAP output. Run by "make -C tools check":
#
#   TWSTAT=build/twstat-san PROMCHECK=tests/promcheck.sh MKSOCK=build/mksock \
#       tests/run.sh [--update]
#
# - golden text output of every view on the fixture /proc trees
#   (tests/fixtures/good; --update rewrites tests/expected/*.txt);
# - JSON: parsed back with jq, exactly one document, key values asserted;
# - Prometheus: "promtool check metrics" (tests/promcheck.sh) must report
#   no problem, not even lint; sample values asserted;
# - every malformed-input case of tests/fixtures/bad (exit 1, nothing on
#   stdout, one stderr line naming the file and line);
# - bad options (exit 2, usage on stderr), --help, --version;
# - --watch: refreshes, deltas, rates, SIGINT/SIGTERM;
# - as root: --source diag against ss in a fresh netns (tests/diag_live.sh),
#   --netns by name and by path.
#
# Needs: bash, jq, promtool (prometheus), ss (iproute2), unshare
# (util-linux) for the root tests.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
: "${TWSTAT:?set TWSTAT to the twstat binary}"
: "${PROMCHECK:?set PROMCHECK to tests/promcheck.sh}"
export PROMTOOL=${PROMTOOL:-promtool}
MKSOCK=${MKSOCK:-}
GOOD=$HERE/fixtures/good
BAD=$HERE/fixtures/bad
EXP=$HERE/expected
UPDATE=0
[ "${1:-}" = --update ] && UPDATE=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C

n=0
failed=0
skipped=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	local what=$1 l
	shift
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $what"
	for l in "$@"; do
		echo "#   $l"
	done
}

skip() {
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n - $1 # SKIP $2"
}

# check DESC CMD...: pass if CMD succeeds, else fail showing the last run
check() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "exit ${RC:-?}" "stderr: $(head -c 600 "$TMP/err")"
	fi
}

# run ARGS...: stdout in $TMP/out, stderr in $TMP/err, status in RC
run() {
	"$TWSTAT" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

ok_run() { [ "$RC" = 0 ] && [ ! -s "$TMP/err" ]; }

# shellcheck source=tools/tests/lib-views.sh
. "$HERE/lib-views.sh"
# shellcheck source=tools/tests/lib-misc.sh
. "$HERE/lib-misc.sh"

t_golden
t_json
t_prom
t_errors
t_usage
t_watch
t_live
t_docs

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
