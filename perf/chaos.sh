#!/usr/bin/env bash
# Weir's fault-injection suite: a 3-broker Kafka cluster, Weir instances in child JVMs, a
# deterministic generator and an independent verifier, while instances are killed (kill -9 and at
# commit points), brokers are killed and restarted, instances join, leave and freeze, and commits
# fail on purpose. See docs/testing.md ("Chaos runs").
#
# Usage: perf/chaos.sh [--records N] [--crashes K] [--broker-restarts B] [--seed S]
#                      [--guarantee exactly_once|at_least_once] [--profile ci|default|soak]
#                      [--sink kafka|file|postgres] [--liveness true|false]
#                      [--window-contents aggregate|list] [--restore default|bulk-raw]
#                      [--commit-wal true|false] [...]
# --sink file: the pipeline also writes its results through the exactly-once file sink; the
# verifier reads the finished files back and checks them like the output topic.
# --sink postgres: the results also go exactly once into a table of an embedded PostgreSQL, read
# back and checked like the output topic.
# --liveness true: every instance is a static member with a liveness listener (design record
# 021), so killed instances are removed by their peers instead of at the session timeout.
# --window-contents list: the windows keep their records (list state, design record 032) and count
# them when they fire, instead of counting incrementally; the same results, checked the same way.
# --restore bulk-raw: every restore after a crash bulk-loads SST files and reads its changelogs with
# raw fetch requests (design records 019 and 030), which the run's small restores otherwise do not.
# --commit-wal false: commits skip RocksDB's write-ahead log (state.rocksdb.commit.wal, design
# record 045), so a kill -9 loses the state RocksDB had not flushed and the restore replays more.
# Last line: chaos: records=N crashes=K broker-restarts=B lost=L duplicated=D wrong=W
# Exit status 0 only when L, D and W are zero. Needs JDK 17 and Maven; MVN_ARGS (for example -o)
# is passed to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
echo "chaos: building weir-perf and what it needs (mvn package -pl perf -am)"
# shellcheck disable=SC2086
mvn -q -B -ntp ${MVN_ARGS:-} package dependency:build-classpath -pl perf -am \
  -DskipTests -Dspotless.check.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -Dmdep.outputFile=target/chaos.classpath
cd "$root/perf"
exec java -Xmx1g -XX:+UseSerialGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
  -cp "$root/perf/target/classes:$(cat "$root/perf/target/chaos.classpath")" \
  dev.weir.chaos.Chaos "$@"
