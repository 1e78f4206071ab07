#!/bin/sh
# contrib/demo/load.sh — load the fictional demo insurers and their rosters.
#
#   KENPOCTL=/path/to/kenpoctl KENPO_CONFIG=/path/to/kenpo.hdf contrib/demo/load.sh
#
# KENPOCTL defaults to `kenpoctl` on PATH, KENPO_CONFIG to kenpoctl's own default.
# Safe to run again: an insurer that exists is left as it is, and a roster import
# of the same file changes nothing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KENPOCTL=${KENPOCTL:-kenpoctl}

ctl() {
	if [ -n "${KENPO_CONFIG:-}" ]; then
		"$KENPOCTL" -c "$KENPO_CONFIG" "$@" </dev/null
	else
		"$KENPOCTL" "$@" </dev/null
	fi
}

# insurers.csv: number,name,pattern (header line first).
tail -n +2 "$here/insurers.csv" | while IFS=, read -r number name pattern; do
	[ -n "$number" ] || continue
	if ctl insurer show "$number" >/dev/null 2>&1; then
		echo "insurer $number exists"
	else
		ctl insurer add "$number" "$name" --pattern "$pattern"
		echo "insurer $number added"
	fi
	ctl roster import "$number" "$here/roster-$number.csv"
done

# サンプル健康保険組合 links health data: its members are offered the eKYC level
# (健診・医療アクセス認証, /verify); デモ健康保険組合's members see nothing of it.
# The health-data service is fictional (its page says so).
ctl insurer update 06270011 --health-data on \
	--health-service https://health.example.invalid/
echo "insurer 06270011 links health data"
