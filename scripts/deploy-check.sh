#!/usr/bin/env bash
# The README's install steps, literally, on a fresh clone of this repository in a temporary folder:
#   1. the quick start: npm install && npm start (which builds), and npm run kb;
#   2. the Deploy section: npm ci, npm run build, npm prune --omit=dev, then npm start, npx kb and
#      npm run kb on the production dependencies alone.
# Cleans up after itself; .ci/run runs it after npm test. It takes several minutes: each of
# npm install and npm ci compiles better-sqlite3.
#
#   scripts/deploy-check.sh                  a clone of what is committed (HEAD)
#   scripts/deploy-check.sh --working-tree   the same, plus the working tree's uncommitted changes
#                                            and untracked files (which `git clone` does not see)
#   scripts/deploy-check.sh --no-quick-start only the Deploy steps
#   scripts/deploy-check.sh --keep           leave the temporary folder, to look around
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
working_tree=false
quick_start=true
keep=false
for arg in "$@"; do
  case "$arg" in
    --working-tree) working_tree=true ;;
    --no-quick-start) quick_start=false ;;
    --keep) keep=true ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "deploy-check: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kb-deploy-check.XXXXXX")"
clone="$work/kb"
server_pid=""
server_log=""
step () { printf '\n\033[1mdeploy-check: %s\033[0m\n' "$*"; }
fail () { printf '\ndeploy-check: FAILED: %s\n' "$*" >&2; exit 1; }

# `npm start` in the background, in a process group of its own (set -m), on a free port.
start_server () {
  server_log="$1"
  port="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })")"
  base="http://127.0.0.1:$port"
  set -m
  PORT="$port" DATABASE_PATH="$work/data/kb.sqlite" npm start > "$server_log" 2>&1 &
  server_pid=$!
  set +m
  for _ in $(seq 1 1200); do
    curl -fsS "$base/ready" > /dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || fail "npm start exited before the server was ready"
    sleep 0.1
  done
  curl -fsS "$base/ready" > /dev/null || fail "the server was not ready within 120 s"
  echo "GET /ready: 200 on port $port"
  curl -fsS "$base/v1/transfers/transfer-2025-08-12" | grep -q '"id":"transfer-2025-08-12"' || fail "GET /v1/transfers/transfer-2025-08-12"
  echo "GET /v1/transfers/transfer-2025-08-12: 200"
  explorer="$(curl -fsS "$base/explore")" || fail "GET /explore"
  script="$(printf '%s' "$explorer" | grep -o '/explore/assets/[^"]*\.js' | head -n 1)"
  [ -n "$script" ] || fail "GET /explore: no script in the page"
  curl -fsS -o /dev/null "$base$script" || fail "GET $script"
  echo "GET /explore and its script $script: 200"
}

# SIGTERM to npm start's group, as systemd sends it, and the server's graceful shutdown.
stop_server () {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  server_pid=""
}

cleanup () {
  local status=$?
  stop_server
  if [ "$status" -ne 0 ] && [ -n "$server_log" ] && [ -f "$server_log" ]; then
    echo "--- $server_log ---" >&2
    tail -n 40 "$server_log" >&2
  fi
  cd /
  if $keep; then
    echo "deploy-check: left $work"
  else
    rm -rf "$work"
    # npx linked the clone into its cache, in a folder named after the clone's path.
    local hash
    hash="$(node -e "console.log(require('node:crypto').createHash('sha512').update(process.argv[1]).digest('hex').slice(0, 16))" "$clone" 2>/dev/null || true)"
    if [ -n "$hash" ]; then rm -rf "$(npm config get cache 2>/dev/null || echo "$HOME/.npm")/_npx/$hash"; fi
  fi
  exit "$status"
}
trap cleanup EXIT

step "git clone $repo"
git clone --quiet --no-hardlinks "$repo" "$clone"
if $working_tree; then
  step "applying the working tree's uncommitted changes and untracked files"
  git -C "$repo" diff HEAD --binary > "$work/working-tree.patch"
  if [ -s "$work/working-tree.patch" ]; then git -C "$clone" apply --binary "$work/working-tree.patch"; fi
  # Untracked files, if there are any (tar refuses the empty stream xargs -r leaves without them).
  if [ -n "$(git -C "$repo" ls-files --others --exclude-standard | head -n 1)" ]; then
    (cd "$repo" && git ls-files --others --exclude-standard -z | xargs -0 tar -cf - --) | tar -xf - -C "$clone"
  fi
fi
cd "$clone"
version="$(node -p "require('./package.json').version")"

if $quick_start; then
  cp package-lock.json "$work/package-lock.json"
  step "quick start: npm install && npm start"
  npm install --no-audit --no-fund
  start_server "$work/quick-start.log"
  grep -q "No build in dist/ yet: building" "$work/quick-start.log" || fail "npm start did not build a fresh clone"
  echo "npm start built dist/ first"
  [ "$(npm run -s kb -- --version)" = "$version" ] || fail "npm run -s kb -- --version did not print $version"
  echo "npm run -s kb -- --version: $version"
  stop_server
  grep -q '"msg":"shutting down: finishing in-flight requests"' "$server_log" || fail "the server did not shut down gracefully"
  echo "SIGTERM: graceful shutdown"
  # Back to a fresh clone for the Deploy steps.
  rm -rf node_modules dist "$work/data"
  cp "$work/package-lock.json" package-lock.json
fi

# The README's Deploy steps.
step "deploy: npm ci"
npm ci --no-audit --no-fund
step "deploy: npm run build"
npm run build
step "deploy: npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund

for dev in typescript tsx tap eslint; do
  [ ! -e "node_modules/$dev" ] || fail "node_modules/$dev is still installed after npm prune --omit=dev"
done
if node -e "require.resolve('typescript')" 2>/dev/null; then fail "typescript can still be resolved"; fi
echo "node_modules after pruning: $( (npm ls --all --parseable 2>/dev/null || true) | tail -n +2 | wc -l) packages, $(du -sh node_modules | cut -f1); no typescript, tsx, tap or eslint"

step "deploy: npm start"
start_server "$work/server.log"
if grep -q "building" "$server_log"; then fail "npm start built again after npm run build"; fi
echo "npm start ran the build as it was"

step "deploy: the command line"
# npx finds the bin in ./package.json and links this folder into its cache (no registry involved).
# `npx kb --version` would print npm's own version: npm takes --version for itself; -V is the CLI's.
[ "$(npx kb -V)" = "$version" ] || fail "npx kb -V did not print $version"
echo "npx kb -V: $version"
[ "$(npx -- kb --version)" = "$version" ] || fail "npx -- kb --version did not print $version"
echo "npx -- kb --version: $version"
[ "$(npm run -s kb -- --version)" = "$version" ] || fail "npm run -s kb -- --version did not print $version"
echo "npm run -s kb -- --version: $version"
[ "$(./dist/src/cli.js --version)" = "$version" ] || fail "./dist/src/cli.js --version did not print $version"
echo "./dist/src/cli.js --version: $version"
export DATABASE_PATH="$work/data/kb.sqlite"
key="$(npx kb keys create --name deploy-check --scope write | tail -n 1)"
status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$base/v1/quotes" \
  -H "authorization: Bearer $key" -H 'content-type: application/json' \
  --data '{"id":"quote-deploy-check","speaker_id":"claudia-sheinbaum-pardo","text":"sovereign","kind":"direct","language":"en","citations":[{"source_id":"mexico-hands-over-26-cartel-kingpins","excerpt":"the decision was a “sovereign” one"}]}')"
[ "$status" = 201 ] || fail "a write with the key npx kb keys create made answered $status"
echo "npx kb keys create: its key writes through the server (201)"
npx kb backup "$work/backup.sqlite"
[ -s "$work/backup.sqlite" ] || fail "kb backup wrote no file"
npm run -s kb -- export - | grep -q '"quote-deploy-check"' || fail "npm run -s kb -- export - lacks the record just written"
echo "npm run -s kb -- export -: holds the record just written"

step "deploy: stopping the server (SIGTERM)"
stop_server
grep -q '"msg":"shutting down: finishing in-flight requests"' "$server_log" || fail "the server did not shut down gracefully"
echo "graceful shutdown"

step "passed"
