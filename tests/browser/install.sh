#!/bin/sh
# What the browser tests need, installed on a fresh machine by `make test`:
# Debian's chromium (no tool may download a browser of its own), Debian's Java for the
# Nu Html Checker, and axe-core and vnu-jar from npm.
# Quick when everything is there. Outside CI a failed install only makes the tests skip.
set -u
cd "$(dirname "$0")"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
    else return 1
    fi
}

fail() {
    echo "browser tests: $1" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 0
}

need=""
[ -x /usr/bin/chromium ] || need="chromium"
command -v npm >/dev/null 2>&1 || need="$need npm"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
if [ -n "$need" ]; then
    echo "browser tests: installing$need with apt-get"
    as_root apt-get update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need ||
        fail "could not install$need (needs root or sudo); the browser tests will not run"
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --ignore-scripts || fail "npm ci failed; axe-core and vnu-jar are missing"
fi
