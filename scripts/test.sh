#!/usr/bin/env bash
# Builds the solution and runs every test project under tests/ against a throwaway
# PostgreSQL and a throwaway maildev (SMTP catcher), both on free loopback ports.
#
# Usage:
#   scripts/test.sh                 build + run all test projects
#   scripts/test.sh Domain Web      only test projects whose name contains one of the words
#   TEST_FILTER='FullyQualifiedName~Invoice' scripts/test.sh   passed to dotnet test --filter
#   TEST_HANG_TIMEOUT=10m scripts/test.sh  a single test running longer aborts its project (default 5m)
#   scripts/test.sh --no-build      reuse the last Release build
#   scripts/test.sh --services      only start PostgreSQL + maildev, print the ACCRUE_TEST_*
#                                   exports and wait (Ctrl-C stops and removes everything)
#
# Exported to the test processes:
#   ACCRUE_TEST_POSTGRES     Npgsql connection string, superuser, maintenance DB "postgres"
#   ACCRUE_TEST_SMTP_HOST    maildev SMTP host (127.0.0.1)
#   ACCRUE_TEST_SMTP_PORT    maildev SMTP port (no auth, no TLS)
#   ACCRUE_TEST_MAILDEV_URL  maildev web/REST base URL (GET /api/email, DELETE /api/email/all)
#   ACCRUE_TEST_CHROMIUM     chromium executable (/usr/bin/chromium)
#
#   ACCRUE_OPENAPI_FILE      where a Web test saves the served /openapi/v1.json; after the test projects,
#                            Redocly and Spectral lint it (scripts/lint-openapi.sh), each counted as a test
#
# The last line of output is always "tests: N passed, N failed[, N skipped]".
# TRX files and per-project logs of the last run are copied to TestResults/ (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1
export DEBIAN_FRONTEND=noninteractive
export NPM_CONFIG_UPDATE_NOTIFIER=false
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false

SERVICES_ONLY=0
SKIP_BUILD=0
PROJECT_WORDS=()
for arg in "$@"; do
  case "$arg" in
    --services) SERVICES_ONLY=1 ;;
    --no-build) SKIP_BUILD=1 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) PROJECT_WORDS+=("$arg") ;;
  esac
done

NET_UTIL="$REPO/scripts/lib/net-util.cjs"
TOOLS="$REPO/.tools"
CHROMIUM=/usr/bin/chromium
T0=$SECONDS

WORK=""      # root-owned temp dir: logs, test results, maildev
PGROOT=""    # postgres-owned temp dir: data dir, unix socket, server log
PGDATA=""
PGBIN=""
MAILDEV_PID=""
SLEEP_PID=""
APT_LOG=""

say() { echo "==> $*"; }

# Print the closing summary line (always the last line of output).
SUMMARY_PRINTED=0
summary_line() { # passed failed skipped
  SUMMARY_PRINTED=1
  local line="tests: $1 passed, $2 failed"
  if [ "$3" -gt 0 ]; then line="$line, $3 skipped"; fi
  echo "$line"
}

# Infrastructure failure: explain, count as one failed test, exit non-zero.
die() {
  echo "ERROR: $*" >&2
  summary_line 0 1 0
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -E "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# Run a command as the postgres system user (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && "$@"); fi
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
  if [ -n "$MAILDEV_PID" ] && kill -0 "$MAILDEV_PID" 2>/dev/null; then
    kill -TERM "$MAILDEV_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$MAILDEV_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$MAILDEV_PID" 2>/dev/null
  fi
  if [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" stop -m immediate -w -t 30 >/dev/null 2>&1 \
      || kill -KILL "$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null)" >/dev/null 2>&1
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
  [ -n "$PGROOT" ] && rm -rf "$PGROOT"
  [ -n "$APT_LOG" ] && rm -f "$APT_LOG"
  if [ "$SUMMARY_PRINTED" -eq 0 ] && [ "$SERVICES_ONLY" -eq 0 ]; then
    # Interrupted (Ctrl-C) or an unexpected error in this script: still end with the summary.
    [ "$rc" -eq 0 ] && rc=1
    echo "ERROR: scripts/test.sh stopped early (exit code $rc)" >&2
    summary_line "${PASSED:-0}" "$(( ${FAILED:-0} + 1 ))" "${SKIPPED:-0}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- installs
APT_UPDATED=0
apt_install() {
  [ -n "$APT_LOG" ] || APT_LOG="$(mktemp -t accrue-apt.XXXXXX.log)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -q >>"$APT_LOG" 2>&1 || { cat "$APT_LOG" >&2; die "apt-get update failed"; }
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$APT_LOG" 2>&1 \
    || { cat "$APT_LOG" >&2; die "apt-get install $* failed"; }
}

find_pgbin() {
  local d
  PGBIN=""
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PGBIN="$d"; fi
  done
  return 0
}

find_pgbin
if [ -z "$PGBIN" ]; then
  say "installing postgresql"
  apt_install postgresql
  find_pgbin
  [ -n "$PGBIN" ] || die "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
fi

if [ ! -x "$CHROMIUM" ]; then
  say "installing chromium"
  apt_install chromium
  [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM is missing"
fi

command -v node >/dev/null 2>&1 || die "node is required (Node 20+)"

maildev_js() { # path of maildev's CLI entry (from its package.json "bin"), empty if not installed
  node -e '
    const path = require("path");
    const dir = path.join(process.argv[1], "node_modules", "maildev");
    try {
      const pkg = require(path.join(dir, "package.json"));
      if (!/^3\./.test(pkg.version)) process.exit(0);
      const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.maildev;
      console.log(path.join(dir, bin));
    } catch { }' "$TOOLS"
}

# Node tools in .tools/: maildev (SMTP catcher) and the two OpenAPI linters (issue 15 §34).
NPM_TOOLS=(maildev@3 @redocly/cli@2 @stoplight/spectral-cli@6)
npm_tool_ok() { # package major -> 0 when .tools has that major version installed
  node -e '
    try {
      const pkg = require(require("path").join(process.argv[1], "node_modules", process.argv[2], "package.json"));
      process.exit(pkg.version.split(".")[0] === process.argv[3] ? 0 : 1);
    } catch { process.exit(1); }' "$TOOLS" "$1" "$2"
}
MAILDEV_JS="$(maildev_js)"
if [ -z "$MAILDEV_JS" ] || [ ! -f "$MAILDEV_JS" ] || ! npm_tool_ok @redocly/cli 2 || ! npm_tool_ok @stoplight/spectral-cli 6; then
  say "installing ${NPM_TOOLS[*]} into .tools/"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{ "name": "accrue-tools", "private": true }' >"$TOOLS/package.json"
  NPM_LOG="$(mktemp -t accrue-npm.XXXXXX.log)"
  (cd "$TOOLS" && npm install --no-audit --no-fund --loglevel=error "${NPM_TOOLS[@]}") >"$NPM_LOG" 2>&1 \
    || { cat "$NPM_LOG" >&2; rm -f "$NPM_LOG"; die "npm install ${NPM_TOOLS[*]} failed"; }
  rm -f "$NPM_LOG"
  MAILDEV_JS="$(maildev_js)"
  [ -n "$MAILDEV_JS" ] && [ -f "$MAILDEV_JS" ] || die "maildev installed but its CLI was not found"
  [ -x "$TOOLS/node_modules/.bin/redocly" ] && [ -x "$TOOLS/node_modules/.bin/spectral" ] || die "the OpenAPI linters were installed but their CLIs were not found"
fi

# ---------------------------------------------------------------- services
WORK="$(mktemp -d -t accrue-test.XXXXXX)"
RESULTS="$WORK/results"
mkdir -p "$RESULTS" "$WORK/maildev/tmp"

free_ports() { node "$NET_UTIL" free-ports "$1" | tr '\n' ' '; }

# PostgreSQL: fresh cluster in a temp dir owned by the postgres user.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "system user 'postgres' is missing (is the postgresql package installed?)"
fi
PGROOT="$(mktemp -d -t accrue-pg.XXXXXX)"
chmod 755 "$PGROOT"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGROOT"
PGDATA="$PGROOT/data"
echo postgres | as_pg tee "$PGROOT/pwfile" >/dev/null
say "initdb ($PGBIN)"
if ! as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$PGROOT/pwfile" \
      --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$WORK/initdb.log" 2>&1; then
  # Very minimal systems may lack the C.UTF-8 locale.
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$PGROOT/pwfile" \
      --auth-local=trust --auth-host=trust -E UTF8 --no-locale --no-sync \
      >>"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
fi

PG_PORT=""
for attempt in 1 2 3; do
  port="$(free_ports 1)"; port="${port// /}"
  as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF

# ---- scripts/test.sh (attempt $attempt): throwaway test server, speed over durability
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PGROOT'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
timezone = 'UTC'
EOF
  if as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/postgres.log" -w -t 60 start >/dev/null 2>&1; then
    PG_PORT="$port"
    break
  fi
  if ! grep -q -i 'could not bind\|address already in use' "$PGROOT/postgres.log" 2>/dev/null; then
    break
  fi
done
[ -n "$PG_PORT" ] || { cat "$PGROOT/postgres.log" >&2 || true; die "PostgreSQL did not start"; }

ready=0
for _ in $(seq 100); do
  if as_pg "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; then ready=1; break; fi
  sleep 0.2
done
[ "$ready" -eq 1 ] || { cat "$PGROOT/postgres.log" >&2; die "PostgreSQL is not accepting connections"; }
say "postgres on 127.0.0.1:$PG_PORT ($(( SECONDS - T0 ))s)"

# maildev: SMTP + web/REST API, in memory.
read -r SMTP_PORT WEB_PORT _ <<<"$(free_ports 2)"
(
  cd "$WORK/maildev"
  TMPDIR="$WORK/maildev/tmp" node "$MAILDEV_JS" \
    --smtp "$SMTP_PORT" --web "$WEB_PORT" --ip 127.0.0.1 --web-ip 127.0.0.1 \
    </dev/null >"$WORK/maildev/maildev.log" 2>&1 &
  echo $! >"$WORK/maildev/pid"
)
MAILDEV_PID="$(cat "$WORK/maildev/pid")"
if ! node "$NET_UTIL" wait-http "http://127.0.0.1:$WEB_PORT/api/email" 30 \
   || ! node "$NET_UTIL" wait-smtp 127.0.0.1 "$SMTP_PORT" 10; then
  cat "$WORK/maildev/maildev.log" >&2
  die "maildev did not start"
fi
say "maildev smtp 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$WEB_PORT ($(( SECONDS - T0 ))s)"

export ACCRUE_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres"
export ACCRUE_TEST_SMTP_HOST=127.0.0.1
export ACCRUE_TEST_SMTP_PORT="$SMTP_PORT"
export ACCRUE_TEST_MAILDEV_URL="http://127.0.0.1:$WEB_PORT"
export ACCRUE_TEST_CHROMIUM="$CHROMIUM"
export ACCRUE_OPENAPI_FILE="$RESULTS/openapi.json"

if [ "$SERVICES_ONLY" -eq 1 ]; then
  echo "export ACCRUE_TEST_POSTGRES='$ACCRUE_TEST_POSTGRES'"
  echo "export ACCRUE_TEST_SMTP_HOST=$ACCRUE_TEST_SMTP_HOST"
  echo "export ACCRUE_TEST_SMTP_PORT=$ACCRUE_TEST_SMTP_PORT"
  echo "export ACCRUE_TEST_MAILDEV_URL=$ACCRUE_TEST_MAILDEV_URL"
  echo "export ACCRUE_TEST_CHROMIUM=$ACCRUE_TEST_CHROMIUM"
  echo "psql: $PGBIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres"
  say "services running; Ctrl-C (or SIGTERM to $$) stops them"
  sleep infinity &
  SLEEP_PID=$!
  wait "$SLEEP_PID" || true
  exit 0
fi

# ---------------------------------------------------------------- build
t=$SECONDS
: >"$WORK/build.log"
if [ "$SKIP_BUILD" -eq 1 ]; then
  say "skipping build (--no-build)"
else
  say "dotnet build Accrue.slnx -c Release"
  if ! dotnet build Accrue.slnx -c Release -nologo -tl:off -v:minimal >"$WORK/build.log" 2>&1; then
    echo "build failed:"
    if grep -E ': (error|warning) [A-Za-z]+[0-9]+' "$WORK/build.log" | sort -u | head -n 200 | grep .; then :
    else tail -n 60 "$WORK/build.log"; fi
    mkdir -p "$REPO/TestResults" && cp "$WORK/build.log" "$REPO/TestResults/" 2>/dev/null || true
    summary_line 0 1 0
    exit 1
  fi
  say "build ok ($(( SECONDS - t ))s)"
fi

# ---------------------------------------------------------------- tests
trx_counter() { # file attribute -> number from the <Counters .../> element (0 if absent)
  local v
  v="$(grep -o -m1 '<Counters [^>]*>' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || true)"
  echo "${v:-0}"
}

xml_unescape() { sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'; }

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=()
PROJECTS=0
WEB_RAN=0

for proj in tests/*/*.csproj; do
  [ -f "$proj" ] || continue
  name="$(basename "$proj" .csproj)"
  if [ "${#PROJECT_WORDS[@]}" -gt 0 ]; then
    match=0
    for w in "${PROJECT_WORDS[@]}"; do
      if [[ "$name" == *"$w"* ]]; then match=1; fi
    done
    [ "$match" -eq 1 ] || continue
  fi
  PROJECTS=$(( PROJECTS + 1 ))
  [ "$name" = Accrue.Web.Tests ] && WEB_RAN=1
  trx="$RESULTS/$name.trx"
  log="$RESULTS/$name.log"
  filter_args=()
  if [ -n "${TEST_FILTER:-}" ]; then filter_args=(--filter "$TEST_FILTER"); fi
  t=$SECONDS
  code=0
  dotnet test "$proj" -c Release --no-build \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
    --blame-hang-timeout "${TEST_HANG_TIMEOUT:-5m}" --blame-hang-dump-type none \
    "${filter_args[@]}" >"$log" 2>&1 || code=$?
  secs=$(( SECONDS - t ))

  if [ ! -f "$trx" ]; then
    FAILED=$(( FAILED + 1 ))
    why="exit code $code, no TRX written"
    if ! ls "$(dirname "$proj")"/bin/Release/*/"$name.dll" >/dev/null 2>&1; then
      why="$why; $name.dll was not built: is the project in Accrue.slnx?"
    fi
    FAILED_NAMES+=("$name (no results: $why)")
    echo "==> $name: NO RESULTS ($why, ${secs}s); last lines of its output:"
    tail -n 40 "$log" | sed 's/^/    /'
    continue
  fi

  p="$(trx_counter "$trx" passed)"
  f=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
  # xunit skips show up as results with outcome="NotExecuted" (the notExecuted counter stays 0).
  s="$( (grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" || true) | wc -l | tr -d ' ')"
  [ "$s" -gt 0 ] || s="$(trx_counter "$trx" notExecuted)"
  PASSED=$(( PASSED + p )); FAILED=$(( FAILED + f )); SKIPPED=$(( SKIPPED + s ))
  while IFS= read -r tn; do
    if [ -n "$tn" ]; then FAILED_NAMES+=("$tn"); fi
  done < <( (grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$trx" || true) \
             | sed -n 's/.* testName="\([^"]*\)".*/\1/p' | xml_unescape)

  echo "==> $name: $p passed, $f failed, $s skipped (${secs}s)"
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
    # Non-zero exit without a failed test: the run aborted (test host crash, hang timeout...).
    FAILED=$(( FAILED + 1 ))
    FAILED_NAMES+=("$name (test run aborted: exit code $code)")
    echo "==> $name: test run aborted with exit code $code; last lines of its output:"
    tail -n 40 "$log" | sed 's/^/    /'
  elif [ "$f" -gt 0 ]; then
    # Failure messages and stack traces from the console logger.
    if [ "$(wc -l <"$log")" -gt 400 ]; then
      head -n 400 "$log" | sed 's/^/    /'
      echo "    ... (truncated; full log in TestResults/$name.log)"
    else
      sed 's/^/    /' "$log"
    fi
  fi
done

[ "$PROJECTS" -gt 0 ] || die "no test project matched under tests/"

# The OpenAPI document the app serves (saved by OpenApiDocumentTests), linted: zero errors, each linter one test.
for linter in redocly spectral; do
  if [ ! -s "$ACCRUE_OPENAPI_FILE" ]; then
    # Only worth counting when the Web tests ran (a filter left OpenApiDocumentTests out); other projects don't serve it.
    if [ "$WEB_RAN" -eq 1 ]; then
      SKIPPED=$(( SKIPPED + 1 ))
      echo "==> openapi lint ($linter): skipped, no document was saved (TEST_FILTER left out OpenApiDocumentOnSqlite)"
    fi
    continue
  fi
  t=$SECONDS
  if "$REPO/scripts/lint-openapi.sh" "$ACCRUE_OPENAPI_FILE" "$linter" >"$RESULTS/openapi-$linter.log" 2>&1; then
    PASSED=$(( PASSED + 1 ))
    echo "==> openapi lint ($linter): no errors ($(grep -c -i 'warning' "$RESULTS/openapi-$linter.log" || true) warning lines, $(( SECONDS - t ))s)"
  else
    FAILED=$(( FAILED + 1 ))
    FAILED_NAMES+=("openapi lint ($linter)")
    echo "==> openapi lint ($linter): ERRORS ($(( SECONDS - t ))s)"
    grep -i -E 'error' "$RESULTS/openapi-$linter.log" | head -n 60 | sed 's/^/    /'
  fi
done

rm -rf "$REPO/TestResults"
mkdir -p "$REPO/TestResults"
cp "$RESULTS"/*.trx "$RESULTS"/*.log "$WORK/build.log" "$REPO/TestResults/" 2>/dev/null || true
cp "$ACCRUE_OPENAPI_FILE" "$REPO/TestResults/" 2>/dev/null || true

if [ "${#FAILED_NAMES[@]}" -gt 0 ]; then
  echo "failed tests:"
  for n in "${FAILED_NAMES[@]}"; do echo "  - $n"; done
fi
say "total time $(( SECONDS - T0 ))s"
summary_line "$PASSED" "$FAILED" "$SKIPPED"
[ "$FAILED" -eq 0 ]
