#!/bin/sh
# compare.sh QT_DUMP QSSLRS_DUMP CORPUS_DIR KNOWN_DIFFERENCES
# Runs both dump programs on the corpus and fails on any difference not listed (by id) in
# KNOWN_DIFFERENCES.
set -eu
qt=$1 ours=$2 corpus=$3 known=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$qt" "$corpus" > "$work/qt.txt" </dev/null
"$ours" "$corpus" > "$work/ours.txt" </dev/null
sed -n 's/^\([^#|][^|]*[^ |]\) *|.*/\1/p' "$known" > "$work/known-ids"
filter() { awk -F '\t' 'NR==FNR { skip[$0] = 1; next } !($1 in skip)' "$work/known-ids" "$1"; }
filter "$work/qt.txt" > "$work/qt.cmp"
filter "$work/ours.txt" > "$work/ours.cmp"
echo "compared $(wc -l < "$work/qt.cmp") entries ($(wc -l < "$work/known-ids") known differences skipped)"
if ! cmp -s "$work/qt.cmp" "$work/ours.cmp"; then
    diff "$work/qt.cmp" "$work/ours.cmp" | cut -c1-400 | head -40
    echo "differences from Qt: $(diff "$work/qt.cmp" "$work/ours.cmp" | grep -c '^<') entries"
    exit 1
fi
# A listed difference must still be a difference, or the list is stale.
while IFS= read -r id; do
    a=$(grep -F "$id	" "$work/qt.txt" || true); b=$(grep -F "$id	" "$work/ours.txt" || true)
    [ "$a" != "$b" ] || { echo "listed difference no longer differs: $id"; exit 1; }
done < "$work/known-ids"
