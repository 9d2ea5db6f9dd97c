#!/usr/bin/env bash
# The README's benchmark command: builds, then measures what a user feels in real Chromium
# against a real Dovecot seeded by the harness (IMAP sign-in, reading, folders, push, bytes,
# IMAP commands, the gateway with 1,000 idle sessions, a POP3 pull). Prints the figures and
# writes bench/results/latest.json and latest.md. About 10 minutes on 2 cores.
#
#   npm run bench                                   # the full run
#   npm run bench -- --smoke                        # a tiny run (seconds)
#   BENCH_SIZES=10000 BENCH_SAMPLES=5 npm run bench # env or flags: --sizes= --samples=
#       --live-samples= --idle-sessions= --pop3-messages= --pop3-bytes= --concurrency=
#       --out= --name= --warmup=0 --quiet
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_debian_packages dovecot-imapd dovecot-pop3d chromium
ensure_node_modules

say "building"
npx turbo run build --output-logs=errors-only
say "benchmark (progress on stderr; results in ${BENCH_OUT:-bench/results})"
npx tsx e2e/bench/main.ts "$@"
assert_no_leftovers
