-- Run once by the postgres image (mounted into /docker-entrypoint-initdb.d) when its data volume is
-- empty, as POSTGRES_USER, who owns what it creates. One database per service, and one for the API
-- tokens that every service reads. tests/test_compose.py checks these names against the compose file.
CREATE DATABASE thidua_registry;
CREATE DATABASE thidua_scoring;
CREATE DATABASE thidua_awards;
CREATE DATABASE thidua_notifications;
CREATE DATABASE thidua_auth;
