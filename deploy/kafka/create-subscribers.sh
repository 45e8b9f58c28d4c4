#!/bin/sh
# Gives each outside subscribing system (the province's portal, a ministry's system…) a principal of its own on
# Kafka's EXTERNAL listener (SASL/SCRAM-SHA-512 over TLS) and lets it read the topics of the services it names,
# in every configured province, with consumer groups whose names begin with its own. Nothing else: it may not
# write, create or read another service's topics. Run by kafka-init after create-topics.sh.
#
#   THIDUA_KAFKA_SUBSCRIBERS_FILE  one line per system: principal password service… (default
#                                  /run/secrets/kafka_subscribers; deploy/make-secrets.sh starts one)
#   THIDUA_PROVINCES               comma-separated province codes (default HNM)
#   KAFKA_BOOTSTRAP_SERVERS        the broker's internal listener (default kafka:9092)
#   KAFKA_BIN                      folder of kafka-configs.sh and kafka-acls.sh (default /opt/kafka/bin)
#
# A password is letters, digits and . _ ~ - (it goes inside Kafka's SCRAM-SHA-512=[password=…] syntax).
# Removing a line does not remove the principal: `kafka-configs.sh --alter --delete-config SCRAM-SHA-512
# --entity-type users --entity-name <principal>` and `kafka-acls.sh --remove` do (deploy/README.md).
set -eu

file=${THIDUA_KAFKA_SUBSCRIBERS_FILE:-/run/secrets/kafka_subscribers}
provinces=${THIDUA_PROVINCES:-HNM}
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}
bin=${KAFKA_BIN:-/opt/kafka/bin}

if ! grep -qv '^[[:space:]]*\(#\|$\)' "$file" 2>/dev/null; then
    echo "create-subscribers: no outside subscriber in $file"
    exit 0
fi

grep -v '^[[:space:]]*\(#\|$\)' "$file" | while read -r principal password services; do
    case $principal in
        "" | *[!a-z0-9._-]*)
            echo "create-subscribers: '$principal': a principal is lower-case letters, digits, '.', '_' or '-'" >&2
            exit 1 ;;
    esac
    case $password in
        "" | *[!A-Za-z0-9._~-]*)
            echo "create-subscribers: $principal: the password must be letters, digits, '.', '_', '~' or '-'" >&2
            exit 1 ;;
    esac
    if [ -z "$services" ]; then
        echo "create-subscribers: $principal: name the services whose events it reads (e.g. awards)" >&2
        exit 1
    fi
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type users \
        --entity-name "$principal" --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]"
    for service in $services; do
        case $service in
            registry | scoring | awards | notifications) ;;
            *) echo "create-subscribers: $principal: no service '$service'" >&2; exit 1 ;;
        esac
        for province in $(printf '%s' "$provinces" | tr ',' ' '); do
            province=$(printf '%s' "$province" | tr '[:upper:]' '[:lower:]')
            "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --add --allow-principal "User:$principal" \
                --operation Read --operation Describe --topic "thidua.$province.$service"
        done
    done
    "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --add --allow-principal "User:$principal" \
        --operation Read --operation Describe --group "$principal" --resource-pattern-type prefixed
    echo "create-subscribers: $principal reads: $services"
done
echo "create-subscribers: done"
