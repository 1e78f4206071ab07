#!/bin/sh
# libfuzzer.sh — build every tests/fuzz/fuzz_*.c as a libFuzzer binary with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang; see README.md).
#
# usage: tests/fuzz/libfuzzer.sh BUILDDIR [OUTDIR]
#
# BUILDDIR is a configured kenpo build directory (for autoconf.h); OUTDIR defaults
# to BUILDDIR/fuzz-libfuzzer. The core modules of src/core.inc are compiled again
# with coverage instrumentation into OUTDIR/libkenpo-fuzz.a; a module that does
# not compile is skipped with a warning (the targets need only a few of them).
#
# Environment: CC (default clang), SANITIZE (default address,undefined),
# ENGINE (default -fsanitize=fuzzer; for AFL++ use CC=afl-clang-fast and keep it).
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILDDIR [OUTDIR]" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
out=${2:-$build/fuzz-libfuzzer}
cc=${CC:-clang}
san=${SANITIZE:-address,undefined}
engine=${ENGINE:--fsanitize=fuzzer}
[ -f "$build/autoconf.h" ] || { echo "$0: $build/autoconf.h missing: run configure there" >&2; exit 2; }
mkdir -p "$out/obj"

# The libraries' flags as configure found them: every FOO_CFLAGS / FOO_LIBS of the
# build's Makefile but the warning and Check ones.
vars() {
	sed -n -e '/^\(CHECK\|WARN\|AM\|UNIT\|KENPO\|FUZZ\)_/d' \
	    -e "/\\\$(/d" -e "s/^[A-Z0-9]*_$1 = //p" "$build/Makefile" | tr '\n' ' '
}
cppflags="-I$build -I$src/src $(vars CFLAGS) -D_GNU_SOURCE \
	-DSYSCONFDIR=\"/usr/local/etc\" -DPKGDATADIR=\"/usr/local/share/kenpo\""
cflags="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -fsanitize=$san"
libs="$(vars LIBS) -lz -lm"

objs=
for f in $(grep -o 'src/[a-z_]*\.c' "$src/src/core.inc"); do
	o="$out/obj/$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	if $cc $cppflags $cflags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o" 2>"$o.log"; then
		objs="$objs $o"
	else
		echo "$0: warning: $f does not compile (see $o.log); skipped" >&2
	fi
done
rm -f "$out/libkenpo-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/libkenpo-fuzz.a" $objs

for t in "$src"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	$cc $cppflags $cflags $engine "$t" "$out/libkenpo-fuzz.a" $libs -o "$out/$name"
	echo "$out/$name"
done
