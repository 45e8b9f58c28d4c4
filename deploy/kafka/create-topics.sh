#!/bin/sh
# Creates every service's topic and dead-letter topic for each configured province, then exits 0.
# Run by the kafka-init service of docker-compose.yml (apache/kafka image), once the broker is healthy.
#
#   THIDUA_PROVINCES         comma-separated province codes (default HNM)
#   THIDUA_TOPIC_SERVICES    services whose topics to create, space-separated
#   THIDUA_TOPIC_PARTITIONS  partitions of each topic (default 4)
#   KAFKA_BOOTSTRAP_SERVERS  the broker (default kafka:9092)
#   KAFKA_BIN                folder of kafka-topics.sh (default /opt/kafka/bin)
#
# Names follow thidua_shared.kafka: thidua.<province lower>.<service> and thidua.<province lower>.<service>.dlq.
# The topics are a replay source: Kafka keeps their messages forever (retention.ms=-1, retention.bytes=-1);
# a topic that exists already gets the same settings.
set -eu

provinces=${THIDUA_PROVINCES:-HNM}
services=${THIDUA_TOPIC_SERVICES:-registry scoring awards notifications}
partitions=${THIDUA_TOPIC_PARTITIONS:-4}
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}
topics_cmd="${KAFKA_BIN:-/opt/kafka/bin}/kafka-topics.sh"

attempt=0
until existing=$("$topics_cmd" --bootstrap-server "$bootstrap" --list); do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 30 ]; then
        echo "create-topics: no broker answered at $bootstrap" >&2
        exit 1
    fi
    sleep 2
done

for province in $(printf '%s' "$provinces" | tr ',' ' '); do
    province=$(printf '%s' "$province" | tr '[:upper:]' '[:lower:]')
    for service in $services; do
        for topic in "thidua.$province.$service" "thidua.$province.$service.dlq"; do
            if printf '%s\n' "$existing" | grep -qxF "$topic"; then
                echo "create-topics: $topic exists; keeping its messages forever"
                "${KAFKA_BIN:-/opt/kafka/bin}/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter \
                    --entity-type topics --entity-name "$topic" --add-config retention.ms=-1,retention.bytes=-1
                continue
            fi
            "$topics_cmd" --bootstrap-server "$bootstrap" --create --if-not-exists \
                --topic "$topic" --partitions "$partitions" --replication-factor 1 \
                --config retention.ms=-1 --config retention.bytes=-1
        done
    done
done
echo "create-topics: done"
