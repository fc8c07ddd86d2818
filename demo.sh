#!/usr/bin/env bash
# Runs the Weir demo: a real exactly-once pipeline on an embedded Kafka broker.
# Usage: ./demo.sh [--bootstrap-servers host:port] [--records N]
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -ntp install -DskipTests -Dspotless.check.skip=true -pl examples -am
exec mvn -q -B -ntp -pl examples exec:exec -Dexec.executable=java \
  -Dexec.args="-cp %classpath dev.weir.examples.Demo $*"
