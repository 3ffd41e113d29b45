#!/usr/bin/env bash
# Triage set (issue 15): syncvet over real modules it was never tuned on,
# every finding written to a file for a person to judge.
#
# Usage: scripts/triage.sh [-rev REV | -bin PATH] [-o OUTDIR] [-syncvet-flags "FLAGS"] [MODULE@VERSION ...]
#
#   -rev REV    build syncvet from that commit (git archive into a temporary
#               directory); default: the working tree
#   -bin PATH   use this syncvet binary instead of building one
#   -o OUTDIR   where to write (default: triage-out); existing files of the
#               same names are replaced
#   -syncvet-flags "FLAGS"   extra flags for syncvet, e.g. "-sharedaccess"
#   MODULE@VERSION ...   replace the pinned list below
#
# For each module, OUTDIR/NAME.txt holds syncvet's findings over MODULE/...
# (tests included), each with its related positions indented below it,
# in a stable order, with paths made relative to the module's root (files
# of other modules keep module@version/path). NAME is the module path's
# last element without a /vN suffix (pgx, go-redis). OUTDIR/NAME.stderr
# keeps anything the run printed on stderr (packages that did not load).
# OUTDIR/summary.tsv has one row per module: kLOC of non-test and test .go
# files (testdata, vendor and _/. directories left out, as go's ... does),
# findings per check (sharedaccess, lockorder, overlock, other checks),
# total, and findings per kLOC (non-test and test lines together), with a
# total row. OUTDIR/rev.txt names the syncvet revision measured.
#
# The modules are fetched through the module proxy (go get -t, so their
# tests' dependencies too) into a throwaway module in a temporary
# directory. A few minutes on 2 cores with a cold build cache; seconds
# when go vet's cache is warm.
set -euo pipefail
start=$PWD # relative -o and -bin paths are taken from here
cd "$(dirname "$0")/.."
root=$PWD

# Pinned; none of these were used to tune syncvet.
modules=(
	github.com/hashicorp/yamux@v0.1.2
	github.com/eclipse/paho.mqtt.golang@v1.5.1
	github.com/lib/pq@v1.12.3
	github.com/IBM/sarama@v1.61.1
	github.com/redis/go-redis/v9@v9.23.0
	go.uber.org/zap@v1.28.0
	github.com/segmentio/kafka-go@v0.4.51
	github.com/jackc/pgx/v5@v5.13.0
	github.com/dgraph-io/ristretto/v2@v2.4.2
)

rev=""
bin=""
out=triage-out
extra=""
args=()
while [ $# -gt 0 ]; do
	case $1 in
	-rev) rev=$2; shift 2 ;;
	-bin) bin=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-syncvet-flags) extra=$2; shift 2 ;;
	-h | -help | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "triage: unknown flag $1" >&2; exit 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
if [ ${#args[@]} -gt 0 ]; then
	modules=("${args[@]}")
fi
case $out in /*) ;; *) out=$start/$out ;; esac
case $bin in /* | "") ;; *) bin=$start/$bin ;; esac
for m in "${modules[@]}"; do
	case $m in
	*@*) ;;
	*) echo "triage: $m: want MODULE@VERSION" >&2; exit 2 ;;
	esac
done

export GOWORK=off GOTOOLCHAIN=local
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Build syncvet.
if [ -n "$bin" ]; then
	cp "$bin" "$tmp/syncvet"
	desc="prebuilt $bin ($(sha256sum "$bin" | cut -c1-16))"
elif [ -n "$rev" ]; then
	hash=$(git rev-parse --verify "$rev^{commit}")
	echo "== triage: building syncvet at $hash"
	mkdir "$tmp/src"
	git archive "$hash" | tar -x -C "$tmp/src"
	(cd "$tmp/src" && go build -o "$tmp/syncvet" ./cmd/syncvet)
	desc=$hash
else
	hash=$(git rev-parse HEAD)
	echo "== triage: building syncvet from the working tree (HEAD $hash)"
	go build -o "$tmp/syncvet" ./cmd/syncvet
	desc="$hash + working tree"
	if [ -n "$(git status --porcelain --untracked-files=no -- . 2>/dev/null)" ]; then
		desc="$desc (modified)"
	fi
fi
echo "$desc" >"$out/rev.txt"

echo "== triage: fetching ${#modules[@]} modules into a throwaway module"
mkdir "$tmp/mod"
cd "$tmp/mod"
printf 'module syncvet.invalid/triage\n\ngo 1.26\n' >go.mod
# Each module's own packages: MOD/...@VER would also ask for nested
# modules (franz-go's pkg/kmsg) at VER, which they may not have, and
# MOD/... would match a nested module's packages once it is a
# dependency. So: require each module, list the packages that belong to
# it, and fetch those with their tests' dependencies.
declare -A pkgs=()
all=()
for m in "${modules[@]}"; do
	go get "$m" >>"$tmp/get.log" 2>&1 || { cat "$tmp/get.log" >&2; exit 1; }
done
for m in "${modules[@]}"; do
	path=${m%@*}
	pkgs[$m]=$(go list -e -f "{{if and .Module (eq .Module.Path \"$path\")}}{{.ImportPath}}{{end}}" "$path/..." 2>>"$tmp/get.log")
	if [ -z "${pkgs[$m]}" ]; then
		echo "triage: $m: no packages" >&2
		exit 1
	fi
	# Each at the module's version: without one, go get would upgrade
	# the module to its latest release.
	for p in ${pkgs[$m]}; do
		all+=("$p@${m#*@}")
	done
done
if ! go get -t "${all[@]}" >>"$tmp/get.log" 2>&1; then
	# A package whose imports cannot be had (thrift's tutorial imports
	# generated code it does not ship) fails the whole go get: fetch
	# package by package, and let syncvet report the ones that do not load.
	for p in "${all[@]}"; do
		go get -t "$p" >>"$tmp/get.log" 2>&1 || echo "   triage: go get -t $p failed; syncvet will report what does not load" >&2
	done
fi
modcache=$(go env GOMODCACHE)

# kloc DIR test|src: thousands of lines in the .go files under DIR,
# _test.go files or the others, skipping what go's ... pattern skips.
kloc() {
	local name='*_test.go' not=""
	if [ "$2" = src ]; then not='!'; fi
	find "$1" \( -type d \( -name testdata -o -name vendor -o -name '_*' -o -name '.*' \) -prune \) -o \
		\( -type f -name '*.go' $not -name "$name" -print0 \) |
		xargs -0 -r cat | wc -l | awk '{ printf "%.1f", $1 / 1000 }'
}

printf 'module\tversion\tkloc_src\tkloc_test\tsharedaccess\tlockorder\toverlock\tother\ttotal\tper_kloc\n' >"$out/summary.tsv"
checks=(sharedaccess lockorder overlock)
declare -A sum=()
for m in "${modules[@]}"; do
	path=${m%@*}
	ver=${m#*@}
	name=${path##*/}
	if [[ $name =~ ^v[0-9]+$ ]]; then
		name=${path%/*}
		name=${name##*/}
	fi
	dir=$(go list -m -f '{{.Dir}}' "$path")
	got=$(go list -m -f '{{.Version}}' "$path")
	if [ "$got" != "$ver" ]; then
		echo "   $name: analysed at $got, not $ver (a dependency of another module listed needs it)" >&2
		ver=$got
	fi
	start=$SECONDS
	rc=0
	# shellcheck disable=SC2086 # extra is a list of flags
	# shellcheck disable=SC2086 # extra is a list of flags, pkgs one path per line
	"$tmp/syncvet" $extra ${pkgs[$m]} >"$tmp/raw.txt" 2>"$out/$name.stderr" || rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "   $name: syncvet exit $rc (see $out/$name.stderr)" >&2
	fi
	if [ ! -s "$out/$name.stderr" ]; then
		rm -f "$out/$name.stderr"
	fi
	# Relative paths; then one record per finding (its indented related
	# lines joined with \x1f), sorted by file, line and column, split back.
	sed -e "s#$dir/##g" -e "s#$modcache/##g" "$tmp/raw.txt" |
		awk 'BEGIN { r = "" }
			/^\t/ { r = r "\x1f" $0; next }
			{ if (r != "") print r; r = $0 }
			END { if (r != "") print r }' |
		sort -t: -k1,1 -k2,2n -k3,3n -s |
		tr '\037' '\n' >"$out/$name.txt"
	ks=$(kloc "$dir" src)
	kt=$(kloc "$dir" test)
	row="$path	$ver	$ks	$kt"
	total=0
	for c in "${checks[@]}"; do
		n=$(grep -c "^[^[:space:]].* ($c)\$" "$out/$name.txt" || true)
		row="$row	$n"
		total=$((total + n))
		sum[$c]=$((${sum[$c]:-0} + n))
	done
	all=$(grep -c '^[^[:space:]]' "$out/$name.txt" || true)
	other=$((all - total))
	sum[other]=$((${sum[other]:-0} + other))
	per=$(awk -v n="$all" -v a="$ks" -v b="$kt" 'BEGIN { printf "%.3f", (a + b > 0) ? n / (a + b) : 0 }')
	printf '%s\t%d\t%d\t%s\n' "$row" "$other" "$all" "$per" >>"$out/summary.tsv"
	sum[ks]=$(awk -v a="${sum[ks]:-0}" -v b="$ks" 'BEGIN { print a + b }')
	sum[kt]=$(awk -v a="${sum[kt]:-0}" -v b="$kt" 'BEGIN { print a + b }')
	sum[all]=$((${sum[all]:-0} + all))
	echo "   $name: $all findings, $((SECONDS - start)) s"
done
per=$(awk -v n="${sum[all]}" -v a="${sum[ks]}" -v b="${sum[kt]}" 'BEGIN { printf "%.3f", (a + b > 0) ? n / (a + b) : 0 }')
printf 'total\t-\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n' "${sum[ks]}" "${sum[kt]}" \
	"${sum[sharedaccess]}" "${sum[lockorder]}" "${sum[overlock]}" "${sum[other]}" "${sum[all]}" "$per" >>"$out/summary.tsv"
echo "== triage: wrote $out/summary.tsv"
column -t -s $'\t' "$out/summary.tsv"
