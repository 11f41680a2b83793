#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkcorpus.sh FIXTURES OUT: seed corpus for fuzz_proc from the fixture
# trees: each file, prefixed with the byte that selects its parser (see
# the enum in fuzz_proc.c).
set -eu
src=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
n=0
find "$src" -type f | sort | while read -r f; do
	case "$f" in
	*/net/twstat/summary) sel=0 ;;
	*/net/twstat/ports) sel=1 ;;
	*/net/twstat/timers) sel=2 ;;
	*/net/twstat/remotes) sel=3 ;;
	*/tcp_max_tw_buckets) sel=4 ;;
	*/ip_local_port_range) sel=5 ;;
	*/ip_local_reserved_ports) sel=6 ;;
	*/net/sockstat) sel=7 ;;
	*/net/netstat) sel=8 ;;
	*/net/twstat/owners) sel=9 ;;
	*/net/twstat/failures) sel=10 ;;
	*) continue ;;
	esac
	n=$((n + 1))
	{ printf "\\$(printf '%03o' "$sel")"; cat "$f"; } >"$out/seed-$n"
done
