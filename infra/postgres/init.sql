-- Runs once, when the PostgreSQL container initialises an empty data directory
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml; psql runs it in POSTGRES_DB).
-- The first migration also runs `create extension if not exists pg_trgm`; creating it here lets
-- the migration run as a role that may not create extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Databases created later (tests, `npm run migrate` against a new name) inherit it from template1.
\connect template1
CREATE EXTENSION IF NOT EXISTS pg_trgm;
