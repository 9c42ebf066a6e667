#!/usr/bin/env bash
# Re-record what the simulator is tested against, on a real Linux machine, as root:
#   - the kernel conformance cases: test/fixtures/conformance/kernel/results/*.jsonl
#   - the reference tool outputs:   test/fixtures/formats/*.txt (from formats.sh)
#
#   sudo test/record/record.sh              # everything
#   sudo test/record/record.sh 19-mtu       # cases whose file name starts with 19-mtu
#
# Each script runs inside throw-away network, mount and PID namespaces (run-oracle.sh), so the
# machine is left as it was. Never part of `npm test`; review the diff before committing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../fixtures"
oracle="$fixtures/conformance/kernel/run-oracle.sh"

if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
  echo "record.sh: needs Linux, root and unshare(1); nothing recorded" >&2
  exit 0
fi
missing=""
for t in ip iptables ping nc curl tcpdump brctl bridge sysctl traceroute tracepath conntrack python3 jq; do
  command -v "$t" >/dev/null || missing="$missing $t"
done
if [ -n "$missing" ]; then
  echo "record.sh: missing tools:$missing (Debian: iproute2 iptables iputils-ping iputils-tracepath netcat-openbsd curl tcpdump bridge-utils traceroute conntrack python3 jq)" >&2
  exit 1
fi

filter=${1:-}
for case in "$fixtures"/conformance/kernel/cases/*.sh; do
  name=$(basename "$case" .sh)
  case "$name" in "$filter"*) ;; *) continue ;; esac
  echo "recording $name" >&2
  bash "$oracle" "$case" > "$fixtures/conformance/kernel/results/$name.jsonl.new"
  mv "$fixtures/conformance/kernel/results/$name.jsonl.new" "$fixtures/conformance/kernel/results/$name.jsonl"
done

if [ -z "$filter" ]; then
  echo "recording formats.sh" >&2
  out=$(mktemp)
  bash "$oracle" "$fixtures/formats/formats.sh" > "$out"
  # pair each "# format: NAME" marker with the next command's output
  python3 - "$fixtures/formats/formats.sh" "$out" "$fixtures/formats" <<'PY'
import json, sys
script, results, dest = sys.argv[1:4]
names, pending = [], None
for raw in open(script):
    line = raw.strip()
    if not line: continue
    if line.startswith('# format:'):
        pending = line.split(':', 1)[1].strip(); continue
    if line.startswith('#'): continue
    names.append(pending); pending = None
for name, rec in zip(names, (json.loads(l) for l in open(results))):
    if name:
        open(f"{dest}/{name}.txt", 'w').write(rec['output'])
PY
  rm -f "$out"
fi
echo "done: review with git diff test/fixtures" >&2
