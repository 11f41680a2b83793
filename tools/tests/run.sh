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

# The cgroup ids of a fixture's owners, failures and remotes are the inode
# numbers of the directories of its cgroup tree (sys/fs/cgroup, which
# self/mountinfo names), known only once checked out: the fixtures say
# {cg:/PATH} and run on a copy where each is replaced by that inode. The
# reverse map (cgmap) turns the ids of an output back into {cg:/PATH}.
resolve_fixtures() {
	local fix d rel ino
	cp -a "$GOOD" "$TMP/good"
	GOOD=$TMP/good
	for fix in "$GOOD"/*; do
		[ -d "$fix/sys/fs/cgroup" ] || continue
		: >"$fix/.cgmap"
		while IFS= read -r d; do
			rel=${d#"$fix/sys/fs/cgroup"}
			ino=$(stat -c %i "$d")
			echo "s|{cg:$rel}|$ino|g" >>"$fix/.cgsed"
			echo "$ino $rel" >>"$fix/.cgmap"
		done < <(find "$fix/sys/fs/cgroup" -mindepth 1 -type d)
		sed -i -f "$fix/.cgsed" "$fix"/net/twstat/*
	done
}

# cgid FIXTURE PATH: the id of that cgroup in the resolved fixture
cgid() {
	awk -v p="$2" '$2 == p { print $1 }' "$GOOD/$1/.cgmap"
}

# cgunmap FIXTURE FILE: ids of FILE back to {cg:/PATH}, in place; if it
# had any, runs of spaces are squeezed to one (the ids' widths vary, and
# so the width of their column)
cgunmap() {
	[ -f "$GOOD/$1/.cgmap" ] || return 0
	cp "$2" "$2.ids"
	sed -i -E "$(awk '{ printf "s#(^|[^0-9])%s([^0-9]|$)#\\1{cg:%s}\\2#g\n", $1, $2 }' \
		"$GOOD/$1/.cgmap")" "$2"
	cmp -s "$2" "$2.ids" || sed -i -E 's/ +/ /g' "$2"
	rm -f "$2.ids"
}

resolve_fixtures

# shellcheck source=tools/tests/lib-views.sh
. "$HERE/lib-views.sh"
# shellcheck source=tools/tests/lib-misc.sh
. "$HERE/lib-misc.sh"

t_golden
t_json
t_prom
t_vm
t_errors
t_usage
t_watch
t_live
t_docs

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
