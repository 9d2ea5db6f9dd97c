#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
say "the benchmark is not written yet (issue: Benchmark)"
exit 1
