#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Live test of "twstat --source diag" against ss, run by run.sh as root in
# a fresh network namespace ("unshare -n"): bring lo up, create known load
# with mksock (25 v4 client TIME_WAIT, 10 v4 server TIME_WAIT, 5 v6 client
# TIME_WAIT, 3 established pairs), and compare twstat's JSON with what ss
# and /proc say. Prints "PASS what" / "FAIL what: detail" lines.
set -u

if [ "${1:-}" != --inner ]; then
	ip link set lo up || { echo "FAIL lo up"; exit 0; }
	exec "$MKSOCK" 25 10 5 3 -- "$0" --inner
fi

T=$TWSTAT
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT

res() { # res WHAT CMD...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "PASS $what"
	else
		echo "FAIL $what"
	fi
}

same() { # same WHAT FILE1 FILE2
	if cmp -s "$2" "$3"; then
		echo "PASS $1 ($(wc -l <"$2") lines)"
	else
		echo "FAIL $1"
		diff "$2" "$3" | head -20 | sed 's/^/    /'
	fi
}

jqe() { jq -e "$1" "$D/j.json"; }

# ss, without listeners: "port state" per socket, states as twstat names
ss -tanH | awk '$1 != "LISTEN" {
	s = tolower($1); if (s == "unconn") s = "close"
	n = split($4, a, ":"); print a[n], s }' >"$D/ss.txt"

if ! "$T" --source diag -j -a -t 0 >"$D/j.json" 2>"$D/err"; then
	echo "FAIL twstat --source diag: $(cat "$D/err")"
	exit 0
fi
res "diag: one JSON document, source diag" jqe '.source == "diag"'

awk '{ c[$2]++ } END { for (s in c) print s, c[s] }' "$D/ss.txt" |
	sort >"$D/ss-states"
jq -r '.summary.states | to_entries[] | select(.value > 0) |
	"\(.key) \(.value)"' "$D/j.json" | sort >"$D/tw-states"
same "diag: state counts equal ss -tan" "$D/ss-states" "$D/tw-states"
res "diag: 40 TIME_WAIT, 6 estab (expected load)" \
	jqe '.summary.states["time-wait"] == 40 and .summary.states.estab == 6'

sort "$D/ss.txt" | uniq -c | awk '{ print $2, $3, $1 }' | sort >"$D/ss-ports"
jq -r '.ports.rows[] | .port as $p | .states | to_entries[] |
	select(.value > 0) | "\($p) \(.key) \(.value)"' "$D/j.json" |
	sort >"$D/tw-ports"
same "diag: per-port state counts equal ss -tan (--all)" \
	"$D/ss-ports" "$D/tw-ports"

v4=$(ss -tanH -4 state time-wait | wc -l)
v6=$(ss -tanH -6 state time-wait | wc -l)
res "diag: tw_v4 $v4 and tw_v6 $v6 as ss -4/-6" \
	jqe ".summary.tw_v4 == $v4 and .summary.tw_v6 == $v6"
sst=$(awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat)
res "diag: sockstat_tw $sst == tw_sockets" \
	jqe ".summary.sockstat_tw == $sst and .summary.tw_sockets == $sst"
res "diag: timers add up to tw_sockets, all just created" \
	jqe '(.timers.counts | add) == .summary.tw_sockets and
		(.timers.counts[0:50] | add) == 0'
# Minisockets per whole second left, binned as twstat bins: ss -o's
# timers, floor(ms / 1000), at most 60 (exact although ss prints whole
# seconds above 9 s: it truncates). "" is 0 ms.
ss_bins() {
	ss -tanoH | sed -n 's/.*timer:(timewait,\([^,]*\),.*/\1/p' | awk '
	function num(re, unit) {
		if (!match(t, re)) return 0
		v = substr(t, 1, RLENGTH - unit); t = substr(t, RLENGTH + 1)
		return v
	}
	{ t = $0; ms = 60000 * num("^[0-9]+min", 3)
	  ms += 1000 * (t ~ /^[0-9]+sec/ ? num("^[0-9]+sec", 3) : num("^[0-9]+[.]", 1))
	  ms += num("^[0-9]+ms", 2); s = int(ms / 1000); c[s > 60 ? 60 : s]++ }
	END { for (i = 0; i <= 60; i++) printf "%d%s", c[i], i < 60 ? " " : "\n" }'
}

# ss, twstat, ss: timers only go down, so when both ss reads agree twstat's
# histogram must equal them, second by second.
placement=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	a=$(ss_bins)
	f=$("$T" --source diag -j timers | jq -r '.timers.counts | join(" ")')
	b=$(ss_bins)
	[ "$a" = "$b" ] || continue
	placement="$f"
	break
done
if [ -z "$placement" ]; then
	echo "FAIL diag: timers placement: no two ss reads agreed"
elif [ "$placement" = "$a" ]; then
	echo "PASS diag: timers bin by bin as ss -o"
else
	echo "FAIL diag: timers bin by bin as ss -o"
	echo "    ss -o:  $a"
	echo "    twstat: $placement"
fi

res "diag: module-only fields are null" \
	jqe '.summary | [.walk_ns, .ehash_buckets, .lock_max_ns, .walks,
		.snapshot_age_ms, .snapshot_bytes, .buckets_used] == [null, null,
		null, null, null, null, null]'

read -r lo hi <"/proc/sys/net/ipv4/ip_local_port_range"
ss -tanH | awk -v lo="$lo" -v hi="$hi" '$1 != "LISTEN" {
	n = split($4, l, ":"); m = split($5, r, ":")
	if (l[n] < lo || l[n] > hi) next
	la = substr($4, 1, length($4) - length(l[n]) - 1)
	ra = substr($5, 1, length($5) - length(r[m]) - 1)
	gsub(/[][]/, "", la); gsub(/[][]/, "", ra)
	print la, ra, r[m] }' | sort | uniq -c |
	awk '{ print $2, $3, $4, $1 }' | sort >"$D/ss-remotes"
jq -r '.remotes.rows[] | "\(.laddr) \(.raddr) \(.rport) \(.used)"' \
	"$D/j.json" | sort >"$D/tw-remotes"
same "diag: remotes (ephemeral local ports) equal ss" \
	"$D/ss-remotes" "$D/tw-remotes"
res "diag: remotes sorted by used, v4 first on ties" \
	jqe '[.remotes.rows[] | [.laddr, .used]] == [["127.0.0.1", 28], ["::1", 5]]'

ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
"$T" --source diag summary >"$D/text" 2>&1
res "diag: text says 'source: diag' and the netns inode" \
	grep -qx "source: diag  netns: $ino" "$D/text"
"$T" --source diag -p >"$D/prom" 2>&1
res "diag: prometheus valid" "$PROMCHECK" <"$D/prom"
res "diag: prometheus source label, no module-only metrics" eval \
	"grep -q 'twstat_info{netns=\"$ino\",view=\"overview\",source=\"diag\"' '$D/prom' &&
	! grep -q twstat_walk_seconds '$D/prom'"

if [ ! -e /proc/net/twstat ]; then
	res "auto: no module, so diag" eval \
		"'$T' -j summary | jq -e '.source == \"diag\"'"
	"$T" --source module >"$D/out" 2>"$D/err"
	rc=$?
	res "--source module without the module: exit 1, how to load it" \
		eval "[ $rc = 1 ] && [ ! -s '$D/out' ] &&
		grep -q 'sudo insmod module/twstat.ko' '$D/err'"
fi

"$T" --source diag -r "$GOOD/ipv6" -j >"$D/j.json" 2>&1
res "diag with --proc-root: sysctls and sockstat from the fixture" \
	jqe '.summary.port_range_size == 28131 and
		.summary.max_tw_buckets == 262144 and
		.summary.sockstat_tw == 479 and .summary.sockets == 46'

# Owners from INET_DIAG_CGROUP_ID: full sockets only (Linux 5.9+)
"$T" --source diag -j -t 0 >"$D/o.json" 2>&1
res "diag owners: every socket once, minisockets under '-', no failures" \
	jq -e '(.owners.rows | map(.sockets) | add) == .summary.sockets and
		([.owners.rows[] | select(.cgroup == null) |
		.states["time-wait"]] | add) == .summary.states["time-wait"] and
		.owners.timewait_owners == false and .failures == null' "$D/o.json"
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
res "diag owners: the load's established sockets are its cgroup's ($cg)" \
	jq -e --arg p "$cg" '[.owners.rows[] | select(.path == $p) |
		.states.estab] | add == 6' "$D/o.json"
"$T" --source diag failures >"$D/out" 2>&1
res "diag failures: exit 0, the view says it needs the module" \
	grep -q "only the twstat module sees them" "$D/out"

# A 101-port range that holds none of the load's local ports (ss.txt, as
# ss saw them above), with 11 of its ports reserved. The client ports
# start at a hashed offset that moves from load to load: a fixed
# 40000-40100 held some in 11 of 300 loads.
lo=$(awk '{ used[$1] = 1 }
	END { for (lo = 33000; lo < 60000; lo += 1000) {
		for (p = lo; p <= lo + 100 && !(p in used); p++) ;
		if (p > lo + 100) { print lo; exit } } }' "$D/ss.txt")
echo "$lo $((lo + 100))" >/proc/sys/net/ipv4/ip_local_port_range
echo "$lo-$((lo + 9)),$((lo + 100))" >/proc/sys/net/ipv4/ip_local_reserved_ports
"$T" --source diag -j >"$D/j.json" 2>&1
res "diag: port_range_size excludes ip_local_reserved_ports" \
	jqe ".summary.port_range_lo == ${lo:-0} and .summary.port_range_size == 90"
res "diag: remotes scope follows ip_local_port_range" \
	jqe '.remotes.rows == [] and .summary.remotes_sockets == 0'
