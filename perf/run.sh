#!/usr/bin/env bash
# Weir's performance harness (see docs/performance.md).
#
#   perf/run.sh W1                      W1 with defaults (2,000,000 records, 3 rounds, eos and alos)
#   perf/run.sh all --records 500000    every workload, smaller data set
#   perf/run.sh W5 --modes eos          recovery after kill -9, exactly-once only
#   perf/run.sh W8                      scale 2 -> 3 instances, then kill -9 one, under a steady
#                                       --rate (exactly-once; longest output gap and p99 per event)
#   perf/run.sh W2K W2 --flink          also run Flink 2.2.1 (W1, W2, W2K, W6, W9); builds module perf-flink
#   perf/run.sh W9 --flink --contenders weir,flink --w9-records 2400000
#                                       W9 at 2,400,000 records per window size instead of
#                                       min(--records, 240000) (Kafka Streams left out: it runs
#                                       about 500 records/s at n=20,000)
#   perf/run.sh W9 --flink --contenders weir,flink --w9-records 2400000 --w9-sizes 2000,20000,200000
#                                       W9 at three window sizes (default 2000,20000)
#   perf/run.sh W4 --weir-log info      the library's INFO log in the Weir contender's JVM (whether
#                                       its restore read raw, design record 030); others at WARN
#   perf/run.sh W1 --help               all options
#   perf/run.sh jmh [JMH options]       the JMH micro-benchmarks, e.g. perf/run.sh jmh -f 1 State
#
# Builds what it needs with Maven (the perf module and the modules it depends on, no tests; with
# --flink also perf-flink, through the Maven profile -Pflink, which downloads Flink the first time),
# then runs the harness on the JDK found on PATH. The last lines printed are the ratio lines:
#   ratio W1 eos weir/kafka-streams=1.23 weir/raw=0.91 weir/flink=1.40
#   ratio W8 eos gap kafka-streams/weir=2.10      (W8: >1 means Weir's longest gap is shorter)
# Extra Maven flags (for example -o offline) can be passed in PERF_MVN_OPTS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# --flink is this script's option: it selects what to build, then becomes --flink-classpath.
flink=false
args=()
for a in "$@"; do
  if [[ "$a" == "--flink" ]]; then
    flink=true
  else
    args+=("$a")
  fi
done

modules=perf
profile=()
if [[ "$flink" == true ]]; then
  modules=perf,perf-flink
  profile=(-Pflink)
fi
echo "Building $modules and their dependencies (mvn package -pl $modules -am ${profile[*]:-}, no tests)..." >&2
# shellcheck disable=SC2086
mvn -q -B -ntp -Dstyle.color=never ${PERF_MVN_OPTS:-} "${profile[@]}" -pl "$modules" -am -DskipTests \
  -Dspotless.check.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2

echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'), $(java -version 2>&1 | head -1)"
cp="$root/perf/target/classes:$(cat "$root/perf/target/classpath.txt")"
if [[ "$flink" == true ]]; then
  # The Flink contender's JVM: its module, Flink, and only the harness's own classes of perf and
  # testkit (no Weir, no Kafka Streams, no rocksdbjni: see perf-flink/pom.xml).
  args+=(--flink-classpath "$root/perf-flink/target/classes:$(cat "$root/perf-flink/target/classpath.txt")")
fi
cd "$root/perf"
if [[ "${args[0]:-}" == "jmh" ]]; then
  exec java -cp "$cp" org.openjdk.jmh.Main "${args[@]:1}"
fi
exec java -Xmx2g -cp "$cp" dev.weir.perf.PerfMain "${args[@]}"
