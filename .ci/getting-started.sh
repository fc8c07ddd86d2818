#!/usr/bin/env bash
# Follows docs/getting-started.md word by word in an empty directory and checks that the result is a
# running pipeline. The files and commands come from the page itself, not from a copy:
#   <!-- file: PATH -->  the next fenced block is written to PATH in the empty project directory;
#   <!-- run -->         every line of the next fenced block is run there, in order; a `java -jar`
#                        line (the application, which runs until stopped) runs in the background.
# The one substitution: the page's localhost:9092 becomes a broker this script starts (testkit).
# "mvn install this repository first" is done into a local repository of its own, which reads the
# shared ~/.m2 through symlinks and never writes to it; the page's own mvn commands use it too.
# Offline by default (WEIR_GS_MAVEN_OFFLINE= to allow downloads). Needs bash, awk, a JDK 17+, Maven.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
page="$root/docs/getting-started.md"
shared_repo="${WEIR_GS_SHARED_REPO:-$HOME/.m2/repository}"
offline="${WEIR_GS_MAVEN_OFFLINE--o}"
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-getting-started.XXXXXX")
project="$work/project"
repo="$work/m2"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${WEIR_GS_KEEP:-}" == "" ]]; then
    rm -rf "$work"
  else
    echo "kept $work"
  fi
}
trap cleanup EXIT

echo "== a local repository of its own in $repo"
mkdir -p "$repo/dev" "$project" "$work/tools"
for entry in "$shared_repo"/*; do
  [[ "$(basename "$entry")" == dev ]] || ln -s "$entry" "$repo/"
done
for entry in "$shared_repo"/dev/*; do
  [[ "$(basename "$entry")" == weir ]] || ln -s "$entry" "$repo/dev/"
done
(cd "$root" && mvn -B -ntp -q $offline install -pl library,testkit -am -Dmaven.test.skip=true \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dspotless.check.skip=true \
  -Dmaven.repo.local="$repo")

echo "== a broker (testkit) instead of localhost:9092"
(cd "$root" && mvn -B -ntp -q $offline dependency:build-classpath -pl testkit \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/tools/testkit-classpath.txt" \
  -Dmaven.repo.local="$repo")
cat >"$work/tools/StartKafka.java" <<'JAVA'
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts a one-node cluster, writes its bootstrap servers to args[0], runs until killed. */
public class StartKafka {
  public static void main(String[] args) throws Exception {
    EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder().logDirectory(Path.of(args[1])).start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
    Files.writeString(Path.of(args[0] + ".tmp"), kafka.bootstrapServers());
    Files.move(Path.of(args[0] + ".tmp"), Path.of(args[0]));
    Thread.currentThread().join();
  }
}
JAVA
testkit_cp="$root/testkit/target/classes:$(cat "$work/tools/testkit-classpath.txt")"
java -cp "$testkit_cp" "$work/tools/StartKafka.java" "$work/bootstrap" "$work/logs" \
  >"$work/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  [[ -f "$work/bootstrap" ]] && break
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    cat "$work/kafka.log"
    exit 1
  fi
  sleep 0.5
done
bootstrap=$(cat "$work/bootstrap")
echo "broker at $bootstrap"

echo "== files and commands of $page"
awk -v dir="$project" -v runfile="$work/commands.txt" '
  /^<!-- file: .* -->$/ { file = $3; mode = "file"; next }
  /^<!-- run -->$/ { mode = "run"; next }
  mode != "" && !inblock && /^```/ {
    inblock = 1
    if (mode == "file") {
      path = dir "/" file
      parent = path
      sub(/\/[^\/]*$/, "", parent)
      system("mkdir -p \"" parent "\"")
      printf "" > path
    }
    next
  }
  inblock && /^```$/ { inblock = 0; if (mode == "file") close(path); mode = ""; next }
  inblock && mode == "file" { print >> path; next }
  inblock && mode == "run" { print >> runfile; next }
' "$page"
(cd "$project" && find . -type f | sort)
cat "$work/commands.txt"

# The page's mvn, with this script's local repository (and offline unless allowed otherwise).
mvn() { command mvn -B -ntp $offline -Dmaven.repo.local="$repo" "$@"; }

cd "$project"
while IFS= read -r line; do
  [[ -z "$line" ]] && continue
  line="${line//localhost:9092/$bootstrap}"
  echo "\$ $line"
  if [[ "$line" == java\ -jar* ]]; then
    # exec: the background subshell becomes the JVM, so the pid that cleanup kills is the JVM's
    # (without it, killing the subshell left the application running, orphaned).
    eval "exec $line" >"$work/app.log" 2>&1 &
    pids+=($!)
    app=$!
  else
    eval "$line"
  fi
done <"$work/commands.txt"
if [[ -z "${app:-}" ]]; then
  echo "the page started no application (no 'java -jar' line in a run block)" >&2
  exit 1
fi

echo "== typing lines into 'lines' and reading 'word-counts'"
jar=$(ls "$project"/target/*.jar | grep -v original | head -1)
cat >"$work/tools/Check.java" <<'JAVA'
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes two lines, then reads word-counts (read_committed) until the latest counts are right. */
public class Check {
  public static void main(String[] args) throws Exception {
    Map<String, Object> p = Map.of("bootstrap.servers", args[0], "acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("lines", "To be, or not to be")).get();
      producer.send(new ProducerRecord<>("lines", "that is the question")).get();
    }
    Map<String, Long> expected = new TreeMap<>(Map.of(
        "to", 2L, "be", 2L, "or", 1L, "not", 1L, "that", 1L, "is", 1L, "the", 1L, "question", 1L));
    Map<String, Object> c = Map.of("bootstrap.servers", args[0], "isolation.level", "read_committed");
    Map<String, Long> latest = new TreeMap<>();
    try (KafkaConsumer<String, Long> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new LongDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor("word-counts").stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!latest.equals(expected) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
          latest.put(r.key(), r.value());
        }
      }
    }
    System.out.println("word-counts: " + latest);
    if (!latest.equals(expected)) {
      System.out.println("expected:    " + expected);
      System.exit(1);
    }
  }
}
JAVA
if ! java -cp "$jar" "$work/tools/Check.java" "$bootstrap"; then
  echo "== the application's log" >&2
  cat "$work/app.log" >&2
  exit 1
fi
if ! kill -0 "$app" 2>/dev/null; then
  echo "the application is not running" >&2
  cat "$work/app.log" >&2
  exit 1
fi
echo "== getting started works word by word"
