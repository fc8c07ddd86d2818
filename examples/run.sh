#!/usr/bin/env bash
# Runs one of the examples against your Kafka, e.g.
#   examples/run.sh wordcount.WordCount --bootstrap-servers localhost:9092
# The class is relative to dev.weir.examples. Needs JDK 17 (or newer) and Maven.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: examples/run.sh <class, e.g. wordcount.WordCount> [--bootstrap-servers host:port]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
build_log=$(mktemp)
if ! mvn -q -B -ntp package dependency:build-classpath -pl examples -am -Dmaven.test.skip=true \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/demo-classpath.txt >"$build_log" 2>&1; then
  cat "$build_log"
  exit 1
fi
rm -f "$build_log"
main="dev.weir.examples.$1"
shift
cd examples
exec java -cp "target/classes:$(cat target/demo-classpath.txt)" "$main" "$@"
