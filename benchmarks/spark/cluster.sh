# Sourced by cluster-check.sh and mllib.sh: a Spark standalone master and one worker on 127.0.0.1, started
# from the Maven jars alone (the Spark build of descent). Sets cp (the classpath), opens (Spark's JVM
# flags), work (a scratch folder), port (the master's); cluster_start CORES starts them and stops them at exit.
export DESCENT_PROFILE=spark
# the master, the worker and the executors it starts load OpenBLAS with the launcher's settings
source "$root/bin/descent-env.sh"
./descent --help > /dev/null    # builds the Spark build once
cp="$root/target/descent-0.1.0.jar:$(cat "$root/target/classpath-spark.txt")"
opens=()
for m in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$m=ALL-UNNAMED")
done
work="$(mktemp -d)"
port=$((7100 + RANDOM % 800))
ui=$((port + 1000))
pids=()
cluster_stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pkill -f "CoarseGrainedExecutorBackend.*127.0.0.1" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cluster_stop EXIT
workers() { # alive workers the master reports on its web UI (-1 while it does not answer)
  python3 -c "import json, urllib.request as u
try: print(json.load(u.urlopen('http://127.0.0.1:$ui/json/', timeout=2))['aliveworkers'])
except Exception: print(-1)"
}
wait_until() { # what, command that prints a number, number wanted, seconds
  local t=0
  until [[ "$($2)" == "$3" ]]; do
    sleep 1; t=$((t + 1))
    if (( t > $4 )); then echo "cluster: $1 not seen after $4 s" >&2; exit 1; fi
  done
}
cluster_start() { # cores of the worker
  local t0
  t0=$(date +%s)
  # (descent's slf4j binding is the no-op one: the daemons log nothing; the master's web UI says how they are.)
  java "${opens[@]}" -cp "$cp" -Dspark.master.rest.enabled=false org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$port" --webui-port "$ui" > "$work/master.log" 2>&1 &
  pids+=($!)
  wait_until "the master" workers 0 60
  # A worker launches executors from $SPARK_HOME/jars: here, links to the very jars of descent's classpath.
  mkdir -p "$work/spark-home/jars"
  for j in ${cp//:/ }; do ln -sf "$j" "$work/spark-home/jars/"; done
  SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.12 \
  java "${opens[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" --host 127.0.0.1 \
    --cores "$1" --memory 6g --webui-port 0 --work-dir "$work/worker" > "$work/worker.log" 2>&1 &
  pids+=($!)
  wait_until "the worker's registration" workers 1 60
  echo "cluster: master and worker ($1 cores) up on 127.0.0.1:$port in $(( $(date +%s) - t0 )) s" >&2
}
