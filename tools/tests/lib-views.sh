# SPDX-License-Identifier: GPL-2.0
# Sourced by run.sh: golden text, JSON and Prometheus tests on fixtures.

# golden NAME FIXTURE [ARGS...]: text output equals expected/NAME.txt
golden() {
	local name=$1 fix=$2
	shift 2
	run -r "$GOOD/$fix" "$@"
	cgunmap "$fix" "$TMP/out"
	if [ "$UPDATE" = 1 ] && ok_run; then
		mkdir -p "$EXP"
		cp "$TMP/out" "$EXP/$name.txt"
	fi
	if ! ok_run; then
		fail "golden $name: twstat $*" "exit $RC" "$(head -c 600 "$TMP/err")"
	elif ! diff -u "$EXP/$name.txt" "$TMP/out" >"$TMP/diff" 2>&1; then
		fail "golden $name: twstat $*" "$(head -40 "$TMP/diff")"
	else
		pass "golden $name: twstat $*"
	fi
}

t_golden() {
	golden server-overview server
	golden server-summary server summary
	golden server-ports server ports
	golden server-ports-all server ports --all --top 0
	golden server-ports-estab server ports --state estab
	golden server-ports-range server ports --port 80-443
	golden server-ports-one server ports -P 8080
	golden server-timers server timers
	golden server-remotes server remotes
	golden client-overview client
	golden client-remotes-warn client remotes --warn 25 --top 1
	golden client-ports-all client ports -a -t 5
	golden ipv6-overview ipv6
	golden empty-overview empty
	# appended columns and keys are ignored: same output as server
	golden server-overview appended
	golden host-netns host netns
	golden host-netns-top host netns --top 2
	# the module's owners, failures and forecast columns
	golden tracked-overview tracked
	golden tracked-summary tracked summary
	golden tracked-owners tracked owners --top 0
	golden tracked-failures tracked failures
	golden tracked-remotes tracked remotes --top 0
	# an older module: the views say what it lacks
	golden server-owners server owners
	golden server-failures server failures
}

# run_good WHAT FIXTURE FORMAT-FLAG "ARGS": run on a good fixture; a
# failed run is reported as a failure of WHAT, and returns false
run_good() {
	# shellcheck disable=SC2086
	run -r "$GOOD/$2" "$3" $4
	ok_run && return 0
	fail "$1" "exit $RC" "$(head -c 600 "$TMP/err")"
	return 1
}

# jqt DESC FIXTURE "ARGS" JQ-EXPR...: one JSON document, each EXPR true
jqt() {
	local desc=$1 fix=$2 args=$3 e
	shift 3
	run_good "json $desc" "$fix" -j "$args" || return
	if [ "$(jq -s length <"$TMP/out" 2>&1)" != 1 ]; then
		fail "json $desc: not exactly one JSON document" "$(head -c 300 "$TMP/out")"
		return
	fi
	for e in "$@"; do
		if ! jq -e "$e" <"$TMP/out" >/dev/null 2>&1; then
			fail "json $desc: $e" "got: $(jq -c "$e" <"$TMP/out" 2>&1 | head -c 300)"
			return
		fi
	done
	pass "json $desc ($# assertions)"
}

t_json() {
	jqt "server overview" server "" \
		'.twstat_version == "1.0.0" and .schema == 1' \
		'.source == "module" and .netns == "4026531840"' \
		'.view == "overview"' \
		'.summary.sockets == 3458 and .summary.states["time-wait"] == 3244' \
		'.summary.tw_v4 == 3244 and .summary.tw_v6 == 0' \
		'.summary.tw_pct_of_max == 9.9 and .summary.walk_ns == 1834567' \
		'.summary.port_range_size == 28232' \
		'.ports.rows | length == 5' \
		'.ports.rows[0] | .port == 80 and .states["time-wait"] == 2011 and .total == 2068' \
		'.ports.rows[0] | .tw_min_ms <= .tw_max_ms and .folded == false' \
		'.ports.rows[2] | .folded and .port == null and .port_lo == 32768 and .port_hi == 60999 and .ports == 43' \
		'.ports.rows[3].tw_min_ms == null' \
		'.ports.sort_state == "time-wait" and .ports.ephemeral_folded' \
		'.timers.counts | length == 61' \
		'(.timers.counts | add) + .timers.over_60s == .summary.tw_sockets' \
		'.timers.over_60s == 3 and .summary.timers_overflow == 3' \
		'.ports.rows[0].tw_max_ms == 125000' \
		'.timers.freed_10s == (.timers.counts[0:10] | add)' \
		'.timers.freed_30s == (.timers.counts[0:30] | add)' \
		'.timers.freed_60s == (.timers.counts[0:60] | add)' \
		'[.timers.bars[].count] | add == 3241' \
		'.remotes.rows[0] | .laddr == "10.0.0.5" and .raddr == "10.0.0.9" and .rport == 5432 and .used == 40 and .pct == 0.1 and .warn == false' \
		'.remotes.warn_pct == 50.0'
	jqt "client remotes" client "remotes --top 0" \
		'.view == "remotes" and (has("ports") | not) and (has("summary") | not)' \
		'.remotes.rows | length == 4' \
		'.remotes.rows[0] | .warn and .pct == 96.5 and .used == 955 and .range == 990' \
		'.remotes.rows[0].states | .estab == 20 and .["time-wait"] == 930 and .["fin-wait-2"] == 5' \
		'.remotes.rows[1].warn == false' \
		'.remotes.rows[-1] | .folded and .destinations == 40 and .laddr == null and .pct == null and .warn == false'
	jqt "client warn threshold" client "remotes --warn 30.3" \
		'[.remotes.rows[].warn] == [true, true, false, false]' \
		'.remotes.warn_pct == 30.3'
	jqt "client ports folded" client "ports" \
		'.ports.rows[0] | .folded and .ports == 955 and .states["time-wait"] == 1270' \
		'.ports.rows_total == 3'
	jqt "client ports --all" client "ports -a -t 0" \
		'.ports.rows | length == 957' \
		'[.ports.rows[] | select(.folded)] | length == 0' \
		'.ports.ephemeral_folded == false'
	jqt "server ports --state estab" server "ports -S estab" \
		'.ports.sort_state == "estab" and .ports.state_filter' \
		'[.ports.rows[].port] == [443, 80, null, 22]'
	jqt "server ports --port 20-100" server "ports --port 20-100" \
		'[.ports.rows[].port] == [80, 22]' \
		'.ports.port_filter_lo == 20 and .ports.port_filter_hi == 100'
	jqt "ipv6" ipv6 "" \
		'.summary.tw_v6 == 472 and .summary.tw_v4 == 7' \
		'.summary.port_range_size == 28131' \
		'[.remotes.rows[].laddr] == ["2001:db8::5", "::1", "127.0.0.1", "::ffff:10.0.0.5", "fe80::1"]' \
		'.remotes.rows[0].raddr == "2001:db8:0:1::9"' \
		'[.remotes.rows[].family] == ["ipv6", "ipv6", "ipv4", "ipv6", "ipv6"]'
	jqt "empty" empty "" \
		'.summary.sockets == 0 and .summary.tw_pct_of_max == null' \
		'.ports.rows == [] and .remotes.rows == []' \
		'.timers.counts == [range(61) | 0]'
	jqt "summary view" server "summary" \
		'.view == "summary" and has("summary") and (has("ports") or has("timers") or has("remotes") | not)'
	jqt "timers view" server "timers" \
		'.view == "timers" and has("timers") and (has("summary") | not)'
	jqt "netns view" host "netns" \
		'.view == "netns" and .netns == "4026531840" and (has("summary") | not)' \
		'.namespaces.rows_total == 5 and (.namespaces.rows | length) == 5' \
		'[.namespaces.rows[].netns] == [4026532290, 4026532300, 4026532310, 4026531840, "*"]' \
		'.namespaces.rows[0] | .pid == 2001 and .comm == "nginx" and .name == null and .hostname == null' \
		'.namespaces.rows[0] | .pod_uid == "1b2c3d4e-0000-4a5b-8c9d-0123456789ab" and .container_id == "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"' \
		'.namespaces.rows[0] | .sockets == 9401 and .states["time-wait"] == 9389 and .tw_v4 == 9389 and .tw_min_ms == 1204 and .tw_max_ms == 59996' \
		'.namespaces.rows[0] | .port_range_size == 28232 and .max_tw_buckets == 131072 and .remotes == 3' \
		'.namespaces.rows[0].top == {"laddr": "10.0.0.5", "raddr": "10.0.0.9", "rport": 5432, "family": "ipv4", "used": 9301, "pct": 32.9}' \
		'.namespaces.rows[1] | .pid == 3001 and .container_id == "aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999" and .pod_uid == null and .top.family == "ipv6"' \
		'.namespaces.rows[2] | .pid == null and .comm == null and .top.pct == 0.0' \
		'.namespaces.rows[3] | .comm == "systemd" and .top == null and .tw_min_ms == null and .remotes == 0' \
		'.namespaces.rows[4] | .folded and .port_range_lo == null and .remotes == null and .top == null and .tw_v4 == 10'
	jqt "netns view --top 1" host "netns --top 1" \
		'.namespaces.rows_total == 5 and [.namespaces.rows[].netns] == [4026532290, "*"]'
	jqt "appended columns ignored" appended "" \
		'.summary.sockets == 3458 and .ports.rows[0].port == 80'
	t_json_tracked
}

KUBE=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_0000_4a5b_8c9d_0123456789ab.slice/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope
POD=1b2c3d4e-0000-4a5b-8c9d-0123456789ab
CID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# owners, failures, the forecast; an older module without them
t_json_tracked() {
	local pgb kube
	pgb=$(cgid tracked /system.slice/pgbouncer.service)
	kube=$(cgid tracked "$KUBE")
	jqt "tracked overview" tracked "" \
		'.owners.rows_total == 5 and (.owners.rows | length) == 3 and .owners.timewait_owners' \
		".owners.rows[0] | .cgroup == $pgb and .unit == \"pgbouncer.service\" and .path == \"/system.slice/pgbouncer.service\" and .sockets == 975 and .states[\"time-wait\"] == 950 and .tw_min_ms == 85 and .pod_uid == null" \
		".owners.rows[1] | .cgroup == $kube and .pod_uid == \"$POD\" and .container_id == \"$CID\" and .path == \"$KUBE\"" \
		'.owners.rows[2] | .cgroup == null and .path == null and .unit == null and .sockets == 41' \
		'.failures.rows_total == 2 and (.failures.rows | length) == 2' \
		".failures.rows[0] | .laddr == \"10.0.0.5\" and .raddr == \"10.0.0.9\" and .rport == 5432 and .family == \"ipv4\" and .fails == 312 and .pid == 4121 and .comm == \"pgbouncer\" and .last_ms == 12 and .owner.cgroup == $pgb and .owner.unit == \"pgbouncer.service\"" \
		'.failures.rows[1] | .pid == null and .owner.cgroup == 9999999999 and .owner.path == "(gone)" and .owner.unit == null' \
		'.exhaustion_soon.within_s == 300 and [.exhaustion_soon.rows[] | [.rport, .eta_s, .free, .rate]] == [[5432, 17.5, 35, 17.0], [80, 59.3, 590, 15.0]]' \
		'.remotes.rows[0] | .noport == 312 and .tw_recent == 170 and .tw_expiring == 150 and .rate == 17.0 and .free == 35 and .settle == 1045 and .settle_pct == 105.6 and .eta_s == 17.5' \
		".remotes.rows[0].owner == {\"cgroup\": $pgb, \"unit\": \"pgbouncer.service\", \"pod_uid\": null, \"container_id\": null, \"path\": \"/system.slice/pgbouncer.service\"}" \
		'.remotes.rows[1] | .settle == 1000 and .settle_pct == 101.0 and .eta_s == 59.3 and .noport == 0' \
		'.remotes.rows[2] | .eta_s == null and .rate == 0 and .settle == 20 and .owner.cgroup == null' \
		'.remotes.rows[-1] | .folded and .noport == null and .owner == null and .rate == null and .free == null and .eta_s == null and .tw_recent == 6 and .tw_expiring == 5' \
		'.summary | .owners == 5 and .tw_owner_unknown == 40 and .track == 1 and .track_records == 8192 and .track_record_bytes == 24 and .track_lost == 3 and .connect_noport == 319 and .failures == 2 and .failures_evicted == 0'
	jqt "tracked owners --top 0" tracked "owners -t 0" \
		'.view == "owners" and (.owners.rows | length) == 5 and (has("summary") or has("remotes") | not)' \
		'.owners.rows[3].unit == "sshd.service"' \
		'.owners.rows[4] | .cgroup == 1 and .path == "/" and .unit == null and .states.estab == 1'
	jqt "tracked owners default top" tracked "owners" \
		'(.owners.rows | length) == 5'
	jqt "tracked failures --top 1" tracked "failures -t 1" \
		'.view == "failures" and (.failures.rows | length) == 1 and .failures.rows_total == 2'
	jqt "old module: no owners, failures or forecast" server "" \
		'.owners == null and .failures == null and .exhaustion_soon == null' \
		'.summary.owners == null and .summary.connect_noport == null and .summary.track == null' \
		'.remotes.rows[0] | .noport == null and .tw_recent == null and .owner == null and .rate == null and .settle == null and .eta_s == null and .free == 28192'
	jqt "old module: owners view" server "owners" '.view == "owners" and .owners == null'
	jqt "old module: failures view" server "failures" '.failures == null'
}

# promt DESC FIXTURE "ARGS" [EXACT-LINE...]: valid exposition, lines present
promt() {
	local desc=$1 fix=$2 args=$3 l
	shift 3
	run_good "prometheus $desc" "$fix" -p "$args" || return
	if ! "$PROMCHECK" <"$TMP/out" >"$TMP/pc" 2>&1; then
		fail "prometheus $desc: promtool check metrics" "$(cat "$TMP/pc")"
		return
	fi
	for l in "$@"; do
		if ! grep -qxF -- "$l" "$TMP/out"; then
			fail "prometheus $desc: missing line" "$l"
			return
		fi
	done
	pass "prometheus $desc ($# samples checked)"
}

t_prom() {
	local f v
	promt "server" server "" \
		'twstat_info{netns="4026531840",view="overview",source="module",version="1.0.0"} 1' \
		'twstat_sockets{netns="4026531840",state="time-wait"} 3244' \
		'# TYPE twstat_read_timestamp_seconds gauge' \
		'twstat_timewait_created_total{netns="4026531840"} 100000' \
		'twstat_timewait_killed_total{netns="4026531840"} 3' \
		'twstat_timewait_recycled_total{netns="4026531840"} 20' \
		'twstat_timewait_overflow_total{netns="4026531840"} 0' \
		'# TYPE twstat_timewait_overflow_total counter' \
		'twstat_timewait_sockets{netns="4026531840",family="ipv4"} 3244' \
		'twstat_port_sockets{netns="4026531840",port="80",state="time-wait"} 2011' \
		'twstat_port_sockets{netns="4026531840",port="ephemeral",state="estab"} 12' \
		'twstat_walk_seconds{netns="4026531840"} 0.001834567' \
		'twstat_walks_total{netns="4026531840"} 7' \
		'twstat_timewait_remaining_seconds_count{netns="4026531840"} 3244' \
		'twstat_timewait_remaining_seconds_bucket{netns="4026531840",le="60"} 3241' \
		'twstat_timewait_remaining_seconds_bucket{netns="4026531840",le="61"} 3241' \
		'twstat_timewait_remaining_seconds_bucket{netns="4026531840",le="+Inf"} 3244' \
		'# TYPE twstat_timewait_remaining_seconds histogram'
	promt "client" client "-t 0" \
		'twstat_remote_used_ratio{netns="4026532001",laddr="10.0.0.5",raddr="10.0.0.9",rport="5432"} 0.965' \
		'twstat_remote_sockets{netns="4026532001",laddr="*",raddr="*",rport="*",state="time-wait"} 40' \
		'twstat_remotes_folded{netns="4026532001"} 40'
	promt "ipv6" ipv6 "" \
		'twstat_remote_sockets{netns="4026532002",laddr="::ffff:10.0.0.5",raddr="::ffff:10.0.0.9",rport="3306",state="estab"} 5'
	promt "empty" empty "" \
		'twstat_timewait_remaining_seconds_count{netns="4026532003"} 0'
	promt "netns" host "netns" \
		'twstat_info{netns="4026531840",view="netns",source="module",version="1.0.0"} 1' \
		'twstat_netns_info{netns="4026532290",name="",pid="2001",comm="nginx",container_id="0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",pod_uid="1b2c3d4e-0000-4a5b-8c9d-0123456789ab",hostname=""} 1' \
		'twstat_netns_sockets{netns="4026532290",state="time-wait"} 9389' \
		'twstat_netns_sockets{netns="*",state="time-wait"} 10' \
		'twstat_netns_timewait_sockets{netns="4026532300",family="ipv6"} 40' \
		'twstat_netns_max_tw_buckets{netns="4026532290"} 131072' \
		'twstat_netns_port_range_usable{netns="4026532300"} 64512' \
		'twstat_netns_remotes{netns="4026531840"} 0' \
		'twstat_netns_top_remote_used{netns="4026532290"} 9301' \
		'twstat_netns_top_remote_used_ratio{netns="4026532290"} 0.329'
	run -r "$GOOD/host" -p netns --top 1
	check "prometheus netns --top 1: one namespace and the folded row" \
		[ "$(grep -c '^twstat_netns_sockets{.*state="estab"}' "$TMP/out")" = 2 ]
	for v in summary ports timers remotes; do
		promt "$v view" server "$v"
	done
	run -r "$GOOD/server" -p timers
	check "prometheus timers view has only info, read time and histogram" \
		[ "$(grep -c '^# TYPE' "$TMP/out")" = 3 ]
	run -r "$GOOD/server" -p
	check "prometheus read time: now, in s with ms" eval 'ok_run &&
		t=$(sed -n "s/^twstat_read_timestamp_seconds{netns=\"4026531840\",view=\"overview\"} \([0-9]*\.[0-9]\{3\}\)$/\1/p" "$TMP/out") &&
		[ -n "$t" ] && [ $(( ${t%.*} - $(date +%s) )) -le 1 ] &&
		[ $(( $(date +%s) - ${t%.*} )) -le 5 ]'
	run -r "$GOOD/host" -p netns
	check "prometheus netns view: no TcpExt counters (not the reader's)" \
		eval 'ok_run && ! grep -q "^twstat_timewait_.*_total" "$TMP/out"'
	t_prom_tracked
}

t_prom_tracked() {
	local pgb d='laddr="10.0.0.5",raddr="10.0.0.9",rport="5432"' nsl='netns="4026532004"'
	pgb=$(cgid tracked /system.slice/pgbouncer.service)
	promt "tracked" tracked "" \
		"twstat_owner_sockets{$nsl,cgroup=\"$pgb\",state=\"time-wait\"} 950" \
		"twstat_owner_sockets{$nsl,cgroup=\"-\",state=\"unknown\"} 1" \
		"twstat_owner_info{$nsl,cgroup=\"$pgb\",path=\"/system.slice/pgbouncer.service\",unit=\"pgbouncer.service\",container_id=\"\",pod_uid=\"\"} 1" \
		'# TYPE twstat_failure_connects_total counter' \
		"twstat_failure_connects_total{$nsl,$d} 312" \
		'# TYPE twstat_connect_noport_total counter' \
		"twstat_connect_noport_total{$nsl} 319" \
		"twstat_track_lost{$nsl} 3" "twstat_track_records{$nsl} 8192" \
		"twstat_timewait_owner_unknown{$nsl} 40" \
		"twstat_remote_timewait_rate{$nsl,$d} 17.0" \
		"twstat_remote_exhaustion_seconds{$nsl,$d} 17.5" \
		"twstat_remote_settle_ratio{$nsl,$d} 1.056" \
		'# TYPE twstat_remote_connect_noport_total counter' \
		"twstat_remote_connect_noport_total{$nsl,$d} 312"
	run -r "$GOOD/tracked" -p
	check "prometheus: no exhaustion time for a destination that never runs out" \
		eval 'ok_run && ! grep -q "^twstat_remote_exhaustion_seconds{.*rport=\"443\"}" "$TMP/out"'
	check "prometheus: the folded row has no forecast or noport" \
		eval '! grep -qE "^twstat_remote_(timewait_rate|exhaustion_seconds|settle_ratio|connect_noport_total)\{.*rport=\"\*\"" "$TMP/out"'
	check "prometheus overview: the owners of its lead (3)" \
		[ "$(grep -c '^twstat_owner_sockets{.*state="estab"}' "$TMP/out")" = 3 ]
	promt "owners view" tracked "owners -t 1" \
		"twstat_owner_info{$nsl,cgroup=\"$pgb\",path=\"/system.slice/pgbouncer.service\",unit=\"pgbouncer.service\",container_id=\"\",pod_uid=\"\"} 1"
	check "prometheus owners --top 1: one owner, no other family" eval \
		'[ "$(grep -c "^twstat_owner_sockets{.*state=\"estab\"}" "$TMP/out")" = 1 ] &&
		[ "$(grep -c "^# TYPE" "$TMP/out")" = 4 ]'
	promt "failures view" tracked "failures" \
		"twstat_failure_connects_total{$nsl,laddr=\"10.0.0.5\",raddr=\"10.0.0.12\",rport=\"6379\"} 7"
	run -r "$GOOD/server" -p
	check "prometheus, older module: no owner, failure or forecast family" \
		eval 'ok_run && ! grep -qE "^# TYPE twstat_(owner|failure|remote_timewait_rate|remote_exhaustion|remote_settle|remote_connect_noport|connect_noport|track|timewait_owner)" "$TMP/out"'
}

# The fixture "vm" is what the module printed in a VM (selftests/vm/run
# --capture: the demo's load, 6.12). The expected values below are read
# from its files, not from the tool: vm_key KEY (summary), vm_col FILE COL
# (that column, a line a row).
vm_key() { awk -v k="$1" '$1 == k { print $2 }' "$GOOD/vm/net/twstat/summary"; }
vm_col() {
	awk -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i
			if (!n) { print "no column " c; exit 1 }
			next }
		$1 != "61+" { print $n }' "$GOOD/vm/net/twstat/$1"
}
vm_sum() { vm_col "$1" "$2" | awk '{ s += $1 } END { print s + 0 }'; }
vm_list() { vm_col "$1" "$2" | paste -sd, -; }

t_vm() {
	local v view tw
	if [ ! -f "$GOOD/vm/net/twstat/summary" ]; then
		fail "fixture vm" "missing: selftests/vm/run --capture makes it"
		return
	fi
	for v in "" summary ports timers "remotes --top 0" "owners --top 0" \
		failures netns; do
		view=${v%% *}
		golden "vm-${view:-overview}" vm $v
	done
	tw=$(vm_key time-wait)
	jqt "vm summary as the file says" vm summary \
		".summary.sockets == $(vm_key sockets) and .summary.states[\"time-wait\"] == $tw" \
		".summary.tw_v4 == $(vm_key tw_v4) and .summary.tw_v6 == $(vm_key tw_v6)" \
		".summary.walk_ns == $(vm_key walk_ns) and .summary.connect_noport == $(vm_key connect_noport)"
	jqt "vm ports as the file says" vm "ports --all --top 0" \
		"(.ports.rows | length) == $(vm_col ports port | wc -l)" \
		"[.ports.rows[].states[\"time-wait\"]] | add == $(vm_sum ports time-wait)"
	jqt "vm timers as the file says" vm timers \
		".timers.counts == [$(vm_list timers count)]"
	jqt "vm remotes as the file says" vm "remotes --top 0" \
		"[.remotes.rows[].used] == [$(vm_list remotes used)]" \
		"[.remotes.rows[].noport] == [$(vm_list remotes noport)]" \
		"[.remotes.rows[].rport] == [$(vm_list remotes rport)]"
	jqt "vm owners as the file says" vm "owners --top 0" \
		"[.owners.rows[].sockets] == [$(vm_list owners sockets)]" \
		".owners.rows[0] | .cgroup == $(cgid vm /demo-client) and .path == \"/demo-client\"" \
		".owners.rows[1] | .cgroup == 1 and .path == \"/\""
	jqt "vm failures as the file says" vm failures \
		".failures.rows[0] | .fails == $(vm_sum failures fails) and .comm == \"$(vm_col failures comm)\"" \
		'.failures.rows[0] | .pid == null and .owner.path == "/demo-client"'
	jqt "vm netns as the file says" vm netns \
		".namespaces.rows[0] | .sockets == $(vm_sum netns sockets) and .remotes == $(vm_sum netns remotes)"
	for v in "" owners failures "remotes --top 0" netns timers; do
		promt "vm ${v:-overview}" vm "$v"
	done
	promt "vm time-wait" vm summary \
		"twstat_sockets{netns=\"$(vm_col netns netns)\",state=\"time-wait\"} $tw"
}
