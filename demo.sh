#!/usr/bin/env bash
# The Weir demo: an exactly-once event-time pipeline on a real Kafka broker, two instances, one of
# them killed with kill -9 midway, and the output checked against the expected result.
# Needs JDK 17 or newer and Maven.
# Usage: ./demo.sh [--bootstrap-servers host:port] [--records N] [--web-port PORT]
# --web-port PORT keeps instance A's status page (and /metrics, /health, /ready) on 127.0.0.1:PORT
# while the demo runs.
# Logs go to examples/target/demo/<run>/.
set -euo pipefail
cd "$(dirname "$0")"
echo "Building Weir (mvn package, tests skipped)..."
build_log=$(mktemp)
if ! mvn -q -B -ntp package dependency:build-classpath -pl examples -am -Dmaven.test.skip=true \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/demo-classpath.txt >"$build_log" 2>&1; then
  cat "$build_log"
  exit 1
fi
rm -f "$build_log"
cd examples
exec java -Xmx512m -XX:+UseSerialGC -cp "target/classes:$(cat target/demo-classpath.txt)" \
  dev.weir.examples.demo.Demo "$@"
