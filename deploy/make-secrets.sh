#!/bin/sh
# Makes the secrets of a new instance, once, in FOLDER (a folder outside the repository, e.g. /srv/thidua/secrets):
#
#   postgres_password       the database password (PostgreSQL and every service read it from this file)
#   console_secret          the key that signs the console's session cookies
#   kafka_external.pem      the certificate and key of Kafka's listener for outside subscribers (self-signed for
#                           THIDUA_KAFKA_EXTERNAL_HOST, default localhost; replace it with the province's own)
#   kafka_tls.properties    the password of that key (key.password=…)
#   kafka_subscribers       the outside subscribing systems (empty: add one line per system)
#   grafana_admin_password  Grafana's admin (the monitoring profile)
#
#   sh deploy/make-secrets.sh /srv/thidua/secrets
#   THIDUA_SECRETS_DIR=/srv/thidua/secrets docker compose up -d
#
# A file that exists is kept: running it again never changes a password. The folder is 0700 (only its owner);
# the files are readable inside it, because each container reads them as its own user (postgres, kafka, thidua).
set -eu

dir=${1:?usage: sh deploy/make-secrets.sh FOLDER}
host=${THIDUA_KAFKA_EXTERNAL_HOST:-localhost}
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

fresh() {
    if [ -e "$dir/$1" ]; then
        echo "make-secrets: $dir/$1 exists; kept"
        return 1
    fi
}

random() {
    # 40 characters of letters and digits: safe in a URL, a properties file and Kafka's SCRAM syntax.
    openssl rand -base64 60 | tr -dc 'A-Za-z0-9' | cut -c1-40
}

if fresh postgres_password; then random > "$dir/postgres_password"; fi
if fresh console_secret; then random > "$dir/console_secret"; fi
if fresh grafana_admin_password; then random > "$dir/grafana_admin_password"; fi
if fresh kafka_tls.properties; then printf 'key.password=%s\n' "$(random)" > "$dir/kafka_tls.properties"; fi
if fresh kafka_external.pem; then
    password=$(sed -n 's/^key.password=//p' "$dir/kafka_tls.properties")
    scratch=$(mktemp -d)
    openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
        -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
    # Kafka reads a PEM key store as an encrypted PKCS#8 key followed by the certificate chain.
    openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$scratch/key.pem" -passout "pass:$password" -out "$scratch/key.p8"
    cat "$scratch/key.p8" "$scratch/cert.pem" > "$dir/kafka_external.pem"
    cp "$scratch/cert.pem" "$dir/kafka_external.crt"
    rm -rf "$scratch"
fi
if fresh kafka_subscribers; then
    printf '%s\n' "# One line per outside system that reads thidua's events from Kafka (port 9094, SASL/SCRAM-SHA-512, TLS):" \
        "#   principal  password  services whose events it reads" \
        "# e.g.: cong-thong-tin-tinh  $(random)  awards notifications" > "$dir/kafka_subscribers"
fi
chmod 644 "$dir"/*
echo "make-secrets: $dir holds the instance's secrets; keep a copy with the backups"
