#!/usr/bin/env bash
# spark-submit --master yarn with the jar of `mvn -Pspark,submit package`: a YARN ResourceManager and NodeManager
# in one JVM on 127.0.0.1 (Hadoop's MiniYARNCluster, benchmarks/spark/MiniYarn.java), Spark's own jars alone on
# the client (resolved from Maven without descent, spark-yarn included; the containers take the same jars as
# spark.yarn.jars=local:…), client mode, --spark submit, two executors of one core. YARN starts the application
# master and the executors as processes of their own, as on a cluster; descent reaches them in the one jar. The
# result must equal the single-machine engine's full-batch run (float64, relative ||dtheta|| <= 1e-12).
# Usage: benchmarks/spark/yarn-check.sh [rows] [rounds]. Needs the JDK and Maven; a few minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rows="${1:-200000}"
rounds="${2:-20}"
source bin/descent-env.sh # the executors load OpenBLAS with the launcher's settings (spark.executorEnv from the driver)
t0=$(date +%s)
work="$(mktemp -d)"
yarn_pid=""
cleanup() {
  [[ -n "$yarn_pid" ]] && kill "$yarn_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
mvn -B -q -Pspark,submit -DskipTests package
app="$root/target/descent-0.1.0-spark.jar"
spark_version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' pom.xml | head -1)     # the spark profile's
hadoop_version=$(sed -n 's:.*<hadoop.version>\(.*\)</hadoop.version>.*:\1:p' pom.xml | head -1)   # Spark's Hadoop client
resolve() { # name, dependencies (groupId:artifactId:version …): their classpath, from Maven
  local dir="$work/$1" deps="" d
  mkdir -p "$dir"
  for d in "${@:2}"; do
    IFS=: read -r g a v <<<"$d"
    deps+="<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
  done
  printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>local</groupId>
<artifactId>%s</artifactId><version>1</version><dependencies>%s</dependencies></project>\n' "$1" "$deps" > "$dir/pom.xml"
  mvn -B -q -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >&2
  cat "$dir/cp.txt"
}
spark_cp=$(resolve spark-yarn "org.apache.spark:spark-core_2.12:$spark_version" "org.apache.spark:spark-sql_2.12:$spark_version" \
  "org.apache.spark:spark-yarn_2.12:$spark_version")
if grep -q "descent\|nd4j" <<<"$spark_cp"; then echo "yarn-check: Spark's classpath holds descent or ND4J" >&2; exit 1; fi
yarn_cp=$(resolve mini-yarn "org.apache.hadoop:hadoop-client-minicluster:$hadoop_version" \
  "org.apache.hadoop:hadoop-client-api:$hadoop_version" "org.apache.hadoop:hadoop-client-runtime:$hadoop_version" \
  "ch.qos.reload4j:reload4j:1.2.22" "org.bouncycastle:bcprov-jdk15on:1.60" "org.bouncycastle:bcpkix-jdk15on:1.60" \
  "javax.xml.bind:jaxb-api:2.3.1" "org.glassfish.jaxb:jaxb-runtime:2.3.2") # what its shading leaves out; JAXB left Java in 11
mkdir -p "$work/spark-jars" "$work/conf"
for j in ${spark_cp//:/ }; do ln -sf "$j" "$work/spark-jars/"; done

# Spark's --add-opens list (org.apache.spark.launcher.JavaModuleOptions), also what YARN's Guice needs on Java 17
opens=()
for m in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$m=ALL-UNNAMED")
done
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}" # the containers' java
mkfifo "$work/yarn-in"
java "${opens[@]}" -cp "$yarn_cp" benchmarks/spark/MiniYarn.java "$work/conf" 6144 2 < "$work/yarn-in" > "$work/yarn.out" 2> "$work/yarn.log" &
yarn_pid=$!
exec 9> "$work/yarn-in" # held open: MiniYarn stops when the script ends
for _ in $(seq 1 120); do grep -q ready "$work/yarn.out" 2>/dev/null && break; sleep 1; done
grep -q ready "$work/yarn.out" || { echo "yarn-check: YARN did not start:" >&2; tail -20 "$work/yarn.log" >&2; exit 1; }
echo "yarn-check: ResourceManager and NodeManager up in $(( $(date +%s) - t0 )) s (with the builds)" >&2

run=(--rows "$rows" --nx 40 --ny 2 --dtype float64 --epochs "$rounds" --optimizer nesterov-keras --lr 0.1 --momentum 0.9
     --progress off --no-plots)
# the client finds yarn-site.xml on its classpath (spark-submit's script adds HADOOP_CONF_DIR there), the containers in
# HADOOP_CONF_DIR
HADOOP_CONF_DIR="$work/conf" timeout -s KILL 900 java "${opens[@]}" -cp "$work/conf:$spark_cp" org.apache.spark.deploy.SparkSubmit --master yarn \
  --deploy-mode client --conf spark.driver.host=127.0.0.1 --conf "spark.yarn.jars=local:$work/spark-jars/*" \
  --conf spark.yarn.am.memory=512m --num-executors 2 --executor-cores 1 --executor-memory 1g \
  --conf spark.yarn.maxAppAttempts=1 \
  --class dev.descent.cli.Main "$app" train --spark submit --partitions 4 --solver gd "${run[@]}" --out "$work/submitted" \
  > "$work/submitted.out" 2>&1 || { echo "yarn-check: spark-submit failed:" >&2; tail -30 "$work/submitted.out" >&2; exit 1; }
grep -E "^spark:" "$work/submitted.out"
DESCENT_PROFILE=spark ./descent train --batch-size 0 --no-shuffle --no-exact "${run[@]}" --out "$work/alone" > "$work/alone.out"

python3 benchmarks/spark/theta.py "yarn-check: spark-submit --master yarn vs one machine" "$work/submitted" "$work/alone"
echo "yarn-check: passed in $(( $(date +%s) - t0 )) s"
