#!/bin/sh
# Starts a local 3-node Redis Cluster for the cache tests, unless one already answers.
# Ports come from CAREQUEUE_REDIS_CLUSTER_PORTS (default "7101 7102 7103"). No persistence,
# loopback only. Safe to run again: running nodes are kept and a formed cluster is left alone.
set -eu

PORTS="${CAREQUEUE_REDIS_CLUSTER_PORTS:-7101 7102 7103}"
DIR="${TMPDIR:-/tmp}/carequeue-redis-cluster"
mkdir -p "$DIR"

for port in $PORTS; do
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    mkdir -p "$DIR/$port"
    # A node's nodes.conf from an earlier run would make it rejoin a cluster that is gone.
    rm -f "$DIR/$port/nodes.conf"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --save '' --appendonly no --dir "$DIR/$port" --daemonize yes \
      --logfile "$DIR/$port/redis.log"
  fi
done

for port in $PORTS; do
  tries=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 50 ]; then
      echo "redis node on port $port did not start; see $DIR/$port/redis.log" >&2
      exit 1
    fi
    sleep 0.1
  done
done

first=$(echo "$PORTS" | awk '{print $1}')
if redis-cli -p "$first" cluster info | grep -q 'cluster_state:ok'; then
  echo "redis cluster already up on ports: $PORTS"
  exit 0
fi

nodes=""
for port in $PORTS; do nodes="$nodes 127.0.0.1:$port"; done
# shellcheck disable=SC2086
redis-cli --cluster create $nodes --cluster-replicas 0 --cluster-yes >/dev/null

tries=0
until redis-cli -p "$first" cluster info | grep -q 'cluster_state:ok'; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "redis cluster did not reach cluster_state:ok" >&2
    exit 1
  fi
  sleep 0.1
done
echo "redis cluster up on ports: $PORTS"
