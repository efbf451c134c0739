#!/usr/bin/env bash
# spark-submit with the jar of `mvn -Pspark,submit package` (descent and everything it needs but Spark), on a
# standalone master and worker whose classpath is Spark's own jars alone (resolved from Maven without
# descent, as a cluster's SPARK_HOME/jars would be), in client mode with --spark submit: the master comes from
# spark-submit, and descent reaches the executors in that one jar. The result must equal the single-machine
# engine's full-batch run (float64, relative ||dtheta|| <= 1e-12). Usage: benchmarks/spark/submit-check.sh
# [rows] [rounds]. Needs the JDK and Maven; about two minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rows="${1:-200000}"
rounds="${2:-20}"
source benchmarks/spark/cluster.sh
t0=$(date +%s)
mvn -B -q -Pspark,submit -DskipTests package
app="$root/target/descent-0.1.0-spark.jar"
spark_version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' pom.xml | head -1) # the spark profile's
mkdir -p "$work/spark-only"
cat > "$work/spark-only/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-only</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_2.12</artifactId><version>$spark_version</version></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.12</artifactId><version>$spark_version</version></dependency>
  </dependencies>
</project>
POM
mvn -B -q -f "$work/spark-only/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/spark-only/cp.txt"
cp="$(cat "$work/spark-only/cp.txt")" # the cluster runs on Spark's jars alone (cluster.sh reads $cp)
if grep -q "descent\|nd4j" <<<"$cp"; then echo "submit-check: Spark's classpath holds descent or ND4J" >&2; exit 1; fi
cluster_start 2

run=(--rows "$rows" --nx 40 --ny 2 --dtype float64 --epochs "$rounds" --optimizer nesterov-keras --lr 0.1 --momentum 0.9
     --progress off --no-plots)
java "${opens[@]}" -cp "$cp" org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" --deploy-mode client \
  --conf spark.driver.host=127.0.0.1 --conf spark.executor.memory=3g --class dev.descent.cli.Main "$app" \
  train --spark submit --partitions 4 --solver gd "${run[@]}" --out "$work/submitted" > "$work/submitted.out" 2>&1 \
  || { echo "submit-check: spark-submit failed:" >&2; tail -30 "$work/submitted.out" >&2; exit 1; }
grep -E "^spark:" "$work/submitted.out"
DESCENT_PROFILE=spark ./descent train --batch-size 0 --no-shuffle --no-exact "${run[@]}" --out "$work/alone" \
  > "$work/alone.out"

python3 benchmarks/spark/theta.py "submit-check: spark-submit on Spark's jars alone vs one machine" "$work/submitted" \
  "$work/alone"
echo "submit-check: passed in $(( $(date +%s) - t0 )) s"
