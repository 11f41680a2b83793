# SPDX-License-Identifier: GPL-2.0
# Functions of selftests/vm/run: build, pack, boot, report. Sourced.

# Console lines that fail a run whatever the TAP says.
BAD_CONSOLE='Oops|BUG:|WARNING:|Kernel panic|soft lockup|blocked for more than|general protection fault|KASAN|UBSAN|kmemleak:.*new suspected|possible recursive locking|circular locking|suspicious RCU usage|Call Trace'

checkpatch() {
	local ksrc=$1
	shift
	perl "$ksrc/scripts/checkpatch.pl" --no-tree -f -q --strict "$@"
}

lint() {
	local ksrc=$1 rc=0
	log "checkpatch (module/)"
	# compat.h is where version tests belong: only it may use them;
	# twstat_names.h is X-macro lists, which checkpatch's macro rules
	# cannot tell from statement macros
	checkpatch "$ksrc" $(ls "$REPO"/module/*.[ch] |
		grep -v -e /compat.h -e /twstat_names.h) || rc=1
	checkpatch "$ksrc" --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		"$REPO/module/compat.h" || rc=1
	checkpatch "$ksrc" \
		--ignore COMPLEX_MACRO,MACRO_ARG_REUSE,MACRO_ARG_UNUSED \
		"$REPO/module/twstat_names.h" || rc=1
	log "clang-format (tools/, selftests/)"
	clang-format --style="file:$ksrc/.clang-format" --dry-run -Werror \
		$(ls "$REPO"/tools/*.[ch] "$REPO"/selftests/*.[ch] 2>/dev/null) || rc=1
	[ $rc -eq 0 ] && log "lint clean"
	return $rc
}

# A host program and the shared libraries it links, at the paths its
# loader expects.
copy_bin() {
	local root=$1 name=$2 bin lib
	bin=$(command -v "$name") || die "$name not found"
	install -D -m 755 "$bin" "$root/usr/bin/$name"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		install -D -m 755 "$lib" "$root$lib"
	done
}

copy_ss() {
	command -v ss >/dev/null || die "ss not found (iproute2)"
	copy_bin "$1" ss
}

build_userspace() {
	local ksrc=$1 base=$OUT/base
	log "building selftests and tool"
	make -s -C "$REPO/selftests" OUTPUT="$OUT/tests" \
		KSFT_DIR="$ksrc/tools/testing/selftests"
	rm -rf "$base"
	mkdir -p "$base"/{bin,sbin,lib,dev,proc,sys,tmp,run,tests/bin,usr/bin}
	install -m 755 /bin/busybox "$base/bin/busybox"
	install -m 755 "$VMDIR/init" "$base/init"
	install -m 755 "$VMDIR"/vm-* "$base/tests/"
	install -m 755 "$OUT"/tests/twstat_* "$base/tests/bin/"
	install -m 755 "$OUT/tests/twload" "$OUT/tests/twbench" "$base/usr/bin/"
	if [ -f "$REPO/tools/Makefile" ]; then
		make -s -C "$REPO/tools" static
		install -m 755 "$REPO/tools/twstat.static" "$base/usr/bin/twstat"
	fi
	copy_ss "$base"
	# the bench profiles one read per size when perf is there (30 MB)
	if [ "$MODE" = bench ] && [ -n "${TWSTAT_BENCH_PERF:-}" ]; then
		copy_bin "$base" perf
	fi
}

# Series whose module this run built, by kernel tree: tiny boots 6.12's
# kernel, so it takes 6.12's twstat.ko rather than building it again.
declare -A BUILT_FOR
build_module() {
	local series=$1 kdir src
	kdir=$("$KERNELS_SH" kdir "$series")
	src=$OUT/$series/src
	rm -rf "$src"
	mkdir -p "$src"
	if [ -n "${BUILT_FOR[$kdir]:-}" ]; then
		log "twstat.ko for $series: the one built for ${BUILT_FOR[$kdir]}"
		cp -a "$OUT/${BUILT_FOR[$kdir]}/src/." "$src/"
		return
	fi
	log "building twstat.ko for $series ($("$KERNELS_SH" abi "$series"))"
	cp -r "$REPO/Kbuild" "$REPO/module" "$src/"
	# module/Kbuild takes MODULE_VERSION from there
	mkdir -p "$src/debian"
	cp "$REPO/debian/changelog" "$src/debian/"
	# kernels make: on the host, or in the chroot the series needs
	"$KERNELS_SH" make "$series" -s -j"$(nproc)" -C "$kdir" M="$src" W=1 \
		KCFLAGS=-Werror modules >"$OUT/$series/build.log" 2>&1 ||
		{ cat "$OUT/$series/build.log" >&2; die "module build failed for $series"; }
	BUILT_FOR[$kdir]=$series
}

# sock_diag for TCP is modular on Debian (inet_diag, tcp_diag): without it
# ss falls back to /proc/net/tcp and "twstat --source diag" cannot work.
# busybox insmod takes no .ko.xz, so they are unpacked here.
copy_diag_modules() {
	local series=$1 dst=$2 mods m f
	mods=$("$KERNELS_SH" moddir "$series")
	mkdir -p "$dst"
	for m in inet_diag tcp_diag; do
		f=$(find "$mods" -name "$m.ko*" | head -n1)
		[ -n "$f" ] || die "$m.ko not found for $series"
		case "$f" in
		*.xz) xz -dc "$f" >"$dst/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$dst/$m.ko" ;;
		*) cp "$f" "$dst/$m.ko" ;;
		esac
	done
}

make_initramfs() {
	local series=$1 root=$OUT/$1/root
	rm -rf "$root"
	cp -a "$OUT/base" "$root"
	install -m 644 "$OUT/$series/src/module/twstat.ko" "$root/lib/twstat.ko"
	copy_diag_modules "$series" "$root/lib/diag"
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$OUT/$series/initramfs.cpio"
}

# The tiny-table lane: 6.12 with a 16-bucket ehash, so every bucket (the
# last one too) holds test sockets and chains outgrow the walk's first
# 64-record buffer (the netns file's walk of every namespace too); only
# the suites whose load fills such chains.
TINY_CMDLINE="thash_entries=16"
TINY_TESTS=${TWSTAT_TINY_TESTS:-twstat_counts twstat_timers twstat_netns twstat_cache twstat_nsview twstat_owners}

series_cmdline() {
	if [ "$1" = tiny ]; then echo "$TINY_CMDLINE $EXTRA_CMDLINE"; else echo "$EXTRA_CMDLINE"; fi
}

# make bench's sizes per kernel, within ~20 minutes for both: 6.1 keeps
# the TIME_WAIT-only rows and the namespaces; 6.12 the curve to a million
# sockets held still (docs/performance.md, Method).
BENCH_SIZES_61="10000 100000 netns:100x500"
BENCH_SIZES_612="held:10000 held:100000 held:1000000"

# --tests applies to every series; without it the tiny lane runs its own,
# and so does each kernel in bench mode.
series_tests() {
	local tests=$TESTS
	[ "$1" = tiny ] && [ -z "$tests" ] && tests=$TINY_TESTS
	if [ "$MODE" = bench ] && [ -z "$tests" ]; then
		tests=$BENCH_SIZES_612
		[ "$1" = 6.1 ] && tests=$BENCH_SIZES_61
	fi
	echo "${tests// /,}"
}

qemu_once() {
	local series=$1 dir=$OUT/$1 image qpid rc
	image=$("$KERNELS_SH" image "$series")
	rm -f "$dir/console.log" "$dir/results.tap" "$dir/qemu.rc"
	timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$SMP" -m "$MEM" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$image" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 panic_on_warn=1 oops=panic panic=-1 softlockup_panic=1 hung_task_panic=1 twstatvm.mode=$MODE twstatvm.args=$(series_tests "$series") $(series_cmdline "$series")" \
		-serial "file:$dir/console.log" -serial "file:$dir/results.tap" \
		>"$dir/qemu.log" 2>&1 &
	qpid=$!
	boot_watch "$series" "$qpid" &
	wait "$qpid" && rc=0 || rc=$?
	echo "$rc" >"$dir/qemu.rc"
}

# Stop a VM whose init has not printed its first line BOOT_SECS after
# start: a kernel that hangs in early boot (seen twice under TCG, six VMs
# sharing 2 cores: stuck after SMP bring-up) would otherwise hold its lane
# for the whole VM_TIMEOUT before boot_one() retries it. Booted with the
# debug VM beside the six (2026-12-06), init came after 20 to 27 s, and
# 39 s on the debug kernel; a boot stopped too early is retried once.
BOOT_SECS=${TWSTAT_VM_BOOT_SECS:-120}
boot_watch() { # series qemu-pid
	local i console=$OUT/$1/console.log
	for ((i = 0; i < BOOT_SECS; i++)); do
		# how long boots take, against BOOT_SECS, in every run's log
		grep -q '^twstat-vm: kernel ' "$console" 2>/dev/null &&
			{ log "$1: init after ${i}s"; return; }
		kill -0 "$2" 2>/dev/null || return
		sleep 1
	done
	log "$1: no init after ${BOOT_SECS}s; stopping the VM"
	kill "$2" 2>/dev/null || true
}

# A kernel that dies (or, boot_watch(), hangs) before our init prints its
# first line never ran twstat: seen once as an int3 oops in text patching
# during SMP bring-up under TCG. Such a boot is retried once, loudly; a
# crash after init started is never retried.
boot_one() {
	local series=$1 dir=$OUT/$1
	rm -f "$dir/console.boot1.log"
	qemu_once "$series"
	grep -q '^twstat-vm: kernel ' "$dir/console.log" 2>/dev/null && return
	mv "$dir/console.log" "$dir/console.boot1.log" 2>/dev/null || true
	log "$series: kernel died before init (console.boot1.log); booting again"
	qemu_once "$series"
}

boot_all() {
	local series pids=()
	for series in $KERNELS; do
		log "booting $series"
		boot_one "$series" &
		pids+=($!)
	done
	wait "${pids[@]}" || true
}

# The skips of one lane's TAP that fail it, one line each: a skip not in
# selftests/vm/allowed-skips for the lane, a skip after a failed check in
# the same test (the harness reports such a test as skipped), and a test
# program that reported no test at all.
skip_verdict() { # series tapfile
	awk -v lane="$1" -v allow="$VMDIR/allowed-skips" '
	BEGIN {
		while ((getline l < allow) > 0) {
			if (l ~ /^#/ || l !~ /[^ ]/)
				continue
			split(l, f, " ")
			if (f[1] == lane || f[1] == "*")
				ok[f[2]] = 1
		}
	}
	/^# selftests: twstat: / { prog = $4; ran = 0 }
	/^# #  RUN / { failed = 0 }
	/^# # .*:Expected |^# # .*: Test failed/ { failed = 1 }
	/^# (not )?ok [0-9]+ / { ran++ }
	/^# ok [0-9]+ .*# SKIP/ {
		name = $4
		if (failed)
			print "skipped after a failed check: " name
		else if (!(name in ok))
			print "skip not allowed on lane " lane ": " name
	}
	/^(not )?ok [0-9]+ selftests: twstat: / {
		if (!ran)
			print "no test reported by " prog
	}' "$2"
}

# Per-kernel verdict; prints the TAP and adds to PASSED/FAILED.
report_one() {
	local series=$1 dir=$OUT/$1 rc p f s bad
	rc=$(cat "$dir/qemu.rc" 2>/dev/null || echo missing)
	echo "# kernel $series ($("$KERNELS_SH" abi "$series"))"
	sed -e '/^TWSTAT-VM-DONE/d' -e '/^TWSTAT-CAPTURE-BEGIN/,/^TWSTAT-CAPTURE-END/d' \
		"$dir/results.tap" 2>/dev/null || true
	p=$(grep -E '^# ok [0-9]+ ' "$dir/results.tap" 2>/dev/null | grep -cv '# SKIP' || true)
	s=$(grep -E '^# ok [0-9]+ .*# SKIP' "$dir/results.tap" 2>/dev/null | grep -c . || true)
	f=$(grep -cE '^# not ok [0-9]+ ' "$dir/results.tap" 2>/dev/null || true)
	# a program that died without a failing line of its own still fails
	f=$((f + $(awk '/^# not ok /{sub_fail=1} /^# selftests: /{sub_fail=0}
		/^not ok /{ if (!sub_fail) n++ } END{print n+0}' "$dir/results.tap" 2>/dev/null || echo 0)))
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "# $series: VM timed out after ${VM_TIMEOUT}s"
		f=$((f + 1))
	fi
	if ! grep -q '^TWSTAT-VM-DONE rc=' "$dir/results.tap" 2>/dev/null; then
		echo "# $series: VM did not finish (qemu rc=$rc); console tail:"
		tail -n 30 "$dir/console.log" 2>/dev/null | sed 's/^/#   /'
		f=$((f + 1))
	fi
	[ -f "$dir/console.boot1.log" ] &&
		echo "# $series: first boot died before init and was retried (console.boot1.log)"
	bad=$(skip_verdict "$series" "$dir/results.tap" 2>/dev/null || true)
	if [ -n "$bad" ]; then
		echo "$bad" | sed "s/^/# $series: /"
		f=$((f + $(echo "$bad" | wc -l)))
	fi
	bad=$(grep -nE "$BAD_CONSOLE" "$dir/console.log" 2>/dev/null | head -n 20 || true)
	if [ -n "$bad" ]; then
		echo "# $series: kernel reported problems:"
		echo "$bad" | sed 's/^/#   /'
		f=$((f + 1))
	fi
	PASSED=$((PASSED + p))
	SKIPPED=$((SKIPPED + s))
	FAILED=$((FAILED + f))
}

report() {
	local series
	PASSED=0
	FAILED=0
	SKIPPED=0
	for series in $KERNELS; do
		report_one "$series"
	done
	[ "$MODE" = check ] || { [ $FAILED -eq 0 ]; return; }
	[ "$SKIPPED" -eq 0 ] || echo "# $SKIPPED skipped (not counted as passed)"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
}

# Replace the lines between <!-- NAME:begin --> and <!-- NAME:end --> of
# DOC with bench-report's tables, if this run made any of that kind.
bench_tables() { # doc name report-flag files...
	local doc=$1 name=$2 flag=$3 tables
	shift 3
	tables=$OUT/$name.md
	# shellcheck disable=SC2086
	"$VMDIR/bench-report" $flag "$@" >"$tables"
	[ -s "$tables" ] || return 0
	cat "$tables"
	grep -q "^<!-- $name:begin -->$" "$doc" 2>/dev/null ||
		die "$doc lacks the <!-- $name:begin --> / <!-- $name:end --> markers"
	awk -v t="$tables" -v b="<!-- $name:begin -->" -v e="<!-- $name:end -->" '
		$0 == e { skip = 0 }
		!skip { print }
		$0 == b { while ((getline l < t) > 0) print l; skip = 1 }
	' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
}

# make bench: one kernel at a time (timings must not share the host's
# cores), then the tables into docs/performance.md between its markers.
bench() {
	local series doc=$REPO/docs/performance.md
	local files=()
	PASSED=0
	FAILED=0
	SKIPPED=0
	for series in $KERNELS; do
		log "benchmarking on $series (sizes: $(series_tests "$series"))"
		boot_one "$series"
		report_one "$series" >"$OUT/$series/report.txt"
		# the serial line ends in CRLF
		tr -d '\r' <"$OUT/$series/results.tap" |
			grep -q '^TWSTAT-VM-DONE rc=0$' || FAILED=1
		[ "$FAILED" -eq 0 ] || { cat "$OUT/$series/report.txt"; die "bench failed on $series"; }
		files+=("$OUT/$series/results.tap")
	done
	bench_tables "$doc" bench "" "${files[@]}"
	bench_tables "$doc" bench-netns --netns "${files[@]}"
	log "tables written to $doc"
}

# run --capture: the demo VM's files (vm-demo capture) become the tool's
# fixture "vm", in place of the one before.
unpack_capture() {
	local series=${KERNELS%% *} fix=$REPO/tools/tests/fixtures/good/vm
	local tap=$OUT/$series/results.tap
	grep -q '^TWSTAT-CAPTURE-END' "$tap" || die "$series: no capture in $tap"
	rm -rf "$fix"
	mkdir -p "$fix"
	tr -d '\r' <"$tap" |
		sed -n '/^TWSTAT-CAPTURE-BEGIN/,/^TWSTAT-CAPTURE-END/p' |
		sed '1d;$d' | base64 -d | tar -C "$fix" -xf -
	log "fixture written to $fix ($(tr -d '\r' <"$tap" |
		sed -n 's/^TWSTAT-CAPTURE-BEGIN //p'))"
}
