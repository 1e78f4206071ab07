#!/bin/sh
# libfuzzer.sh — build every tests/fuzz/fuzz_*.c as a libFuzzer binary with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang; see README.md).
#
# usage: tests/fuzz/libfuzzer.sh BUILDDIR [OUTDIR]
#
# BUILDDIR is a configured kenpo build directory (for autoconf.h); OUTDIR defaults
# to BUILDDIR/fuzz-libfuzzer. The modules of libkenpo.a (src/core.inc,
# src/pages/*.inc, src/image.inc) are compiled again with coverage instrumentation into
# OUTDIR/libkenpo-fuzz.a, two at a time; a module that does not compile is
# skipped with a warning (the targets need only a few of them). FUZZ_TARGETS
# (names without fuzz_, separated by spaces) builds only those targets.
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
	-DSYSCONFDIR=\"/usr/local/etc\" -DPKGDATADIR=\"/usr/local/share/kenpo\" \
	-DPKGLIBEXECDIR=\"/usr/local/libexec/kenpo\""
cflags="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -fsanitize=$san"
libs="$(vars LIBS) -lz -lm"

# Objects are reused while the flags stay the same and they are newer than their
# source and every header.
if [ "$(cat "$out/flags" 2>/dev/null)" != "$cc $cppflags $cflags" ]; then
	rm -f "$out"/obj/*.o
	echo "$cc $cppflags $cflags" >"$out/flags"
fi
modules=$(cat "$src/src/core.inc" "$src"/src/pages/*.inc "$src/src/image.inc" |
	grep -o 'src/[a-z_/]*\.c' | sort -u)
export cc cppflags cflags src out
# shellcheck disable=SC2016
printf '%s\n' $modules | xargs -P 2 -I{} sh -c '
	f={}; o="$out/obj/$(echo "$f" | tr / _ | sed "s/\.c\$/.o/")"
	if [ ! "$o" -nt "$src/$f" ] || [ -n "$(find "$src/src" -name "*.h" -newer "$o" 2>/dev/null | head -1)" ]; then
		$cc $cppflags $cflags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o" 2>"$o.log" ||
		    { echo "libfuzzer.sh: warning: $f does not compile (see $o.log); skipped" >&2; rm -f "$o"; }
	fi'
objs=
for f in $modules; do
	o="$out/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')"
	[ -f "$o" ] && objs="$objs $o"
done
rm -f "$out/libkenpo-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/libkenpo-fuzz.a" $objs

for t in "$src"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" ${name#fuzz_} "*) ;; *) continue ;; esac
	fi
	# shellcheck disable=SC2086
	$cc $cppflags $cflags $engine "$t" "$out/libkenpo-fuzz.a" $libs -o "$out/$name"
	echo "$out/$name"
done
