#!/bin/sh
# run.sh — what `make fuzz` runs: build every tests/fuzz/fuzz_*.c with clang,
# libFuzzer, AddressSanitizer and UBSan (libfuzzer.sh), run each for FUZZ_TIME
# seconds on its committed corpus and dictionary, and report per target the
# executions, the coverage of libFuzzer's final stats (cov: edges, ft: features)
# and whether it crashed.
#
# usage: tests/fuzz/run.sh BUILDDIR      (make fuzz passes the build directory)
#
# Environment:
#   FUZZ_TIME=600      seconds per target (default 600: ten minutes each)
#   FUZZ_TARGETS="form roster"   only these targets (names without fuzz_)
#   FUZZ_MERGE=1       afterwards, merge what each run found into the committed
#                      corpus, minimised (libFuzzer -merge=1 keeps only inputs
#                      that add coverage); otherwise new inputs stay in the
#                      scratch corpus BUILDDIR/fuzz-work/<name>/
#   FUZZ_CC            the compiler (default clang; not CC, which make sets to
#                      the build's compiler)
# Crash inputs are written to BUILDDIR/fuzz-crashes/<name>-crash-…; the logs to
# BUILDDIR/fuzz-work/<name>.log; the table to BUILDDIR/fuzz-report.md.
# Exit status: 0 when no target crashed, 1 otherwise, 2 on a setup problem.
set -u

[ $# -eq 1 ] || { echo "usage: $0 BUILDDIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
time=${FUZZ_TIME:-600}
cc=${FUZZ_CC:-clang}
out=$build/fuzz-libfuzzer
work=$build/fuzz-work
crashes=$build/fuzz-crashes
report=$build/fuzz-report.md

case $time in ''|*[!0-9]*) echo "$0: FUZZ_TIME must be a number of seconds" >&2; exit 2 ;; esac

# clang with the libFuzzer and sanitizer runtimes (Debian: clang and
# libclang-rt-14-dev; CI installs those).
probe=$(mktemp -d) || exit 2
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    >"$probe/p.c"
if ! command -v "$cc" >/dev/null 2>&1 ||
    ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" \
    >"$probe/log" 2>&1; then
	echo "make fuzz: $cc cannot build libFuzzer binaries with ASan and UBSan." >&2
	[ -s "$probe/log" ] && sed 's/^/  /' "$probe/log" | head -5 >&2
	echo "make fuzz: install the Debian packages clang and libclang-rt-14-dev" \
	    "(apt-get install clang libclang-rt-14-dev), or set FUZZ_CC." >&2
	exit 2
fi

echo "make fuzz: building the targets (libFuzzer + ASan + UBSan) in $out"
CC=$cc "$src/tests/fuzz/libfuzzer.sh" "$build" "$out" >"$build/fuzz-build.log" 2>&1 || {
	echo "make fuzz: the build failed; see $build/fuzz-build.log" >&2
	tail -20 "$build/fuzz-build.log" >&2
	exit 2
}
mkdir -p "$work" "$crashes"

# The longest input worth trying, per target: a little over what the code
# accepts or reads (a header, a form field, a roster file of a few lines).
max_len() {
	case $1 in
	roster|config)		echo 8192 ;;
	form|cookie|header|multipart) echo 4096 ;;
	redirect|clientip|mail_header|normalize|captcha) echo 2048 ;;
	*)			echo 1024 ;;
	esac
}

printf '| target | time (s) | execs | exec/s | cov | ft | corpus | crashes |\n' >"$report"
printf '|---|---|---|---|---|---|---|---|\n' >>"$report"
failed=0
for bin in "$out"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
	fi
	corpus=$src/tests/fuzz/corpus/$name
	repro=$src/tests/fuzz/crashes/$name
	dict=$src/tests/fuzz/dict/$name.dict
	log=$work/$name.log
	mkdir -p "$work/$name"
	set -- -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
	    -max_len="$(max_len "$name")" -print_final_stats=1 \
	    -artifact_prefix="$crashes/$name-"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	# ClearSilver prints a warning for every cookie name it cannot store:
	# keep the target's stderr quiet (libFuzzer's own reports still show).
	[ "$name" = cookie ] && set -- "$@" -close_fd_mask=2
	set -- "$@" "$work/$name" "$corpus"
	[ -d "$repro" ] && set -- "$@" "$repro"
	echo "make fuzz: $name for ${time}s"
	start=$(date +%s)
	LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0" \
	    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	    "$bin" "$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	units=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p')
	if [ $rc -eq 0 ]; then
		verdict=none
	else
		failed=1
		verdict="CRASH (exit $rc): $(ls "$crashes" | grep "^$name-" | tr '\n' ' ')"
		[ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
		grep -E 'ERROR|invariant failed|runtime error|SUMMARY' "$log" | head -5 | sed 's/^/    /'
	fi
	line="| $name | $secs | ${execs:--} | ${rate:--} | ${cov:--} | ${ft:--} | ${units:--} | $verdict |"
	echo "$line" >>"$report"
	echo "  $line"
	if [ "${FUZZ_MERGE:-0}" = 1 ] && [ $rc -eq 0 ]; then
		before=$(ls "$corpus" | wc -l)
		"$bin" -merge=1 -max_len="$(max_len "$name")" "$corpus" "$work/$name" \
		    >"$work/$name.merge.log" 2>&1 ||
		    echo "make fuzz: merging $name failed; see $work/$name.merge.log" >&2
		echo "  merged into tests/fuzz/corpus/$name: $(( $(ls "$corpus" | wc -l) - before )) new input(s)"
	fi
done
echo
cat "$report"
exit $failed
