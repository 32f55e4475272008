#!/usr/bin/env bash
# Runs the lease's deterministic simulation outside the default build: a long campaign, or one seed replayed.
#
#   idgen-zookeeper/simulate.sh                    # 10,000 seeds from seed 1 (what ./mvnw verify runs)
#   idgen-zookeeper/simulate.sh 1000000            # a campaign: a million seeds, on every core
#   idgen-zookeeper/simulate.sh 1000000 5000001    # a million seeds from seed 5,000,001
#   idgen-zookeeper/simulate.sh replay 1670        # one seed, with its trace
#
# Prints "simulated N schedules, M ids, D duplicates" and, for a failing seed, its violations and the
# events leading to them. Exit status 0 only when every seed is clean. See docs/simulation.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "replay" ]]; then
  props="-Didgen.simulation.seed=${2:?usage: simulate.sh replay SEED}"
else
  props="-Didgen.simulation.seeds=${1:-10000} -Didgen.simulation.first=${2:-1}"
fi
exec ./mvnw -q -B -pl idgen-zookeeper -am test -Dtest='LeaseSimulationTests#everySeed*' \
  -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=true "-DargLine=$props"
