-- One database, one schema and one role per service (DESIGN §2). Run once as a superuser; the
-- services create their tables through their own migrations. Passwords come from the
-- environment of whoever runs this (psql -v), never from the repository.
\set ON_ERROR_STOP on
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', r, :'password')
FROM unnest(ARRAY['auth_svc','catalog_svc','invoicing_svc','document_svc','notification_svc']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION auth_svc;
CREATE SCHEMA IF NOT EXISTS catalog AUTHORIZATION catalog_svc;
CREATE SCHEMA IF NOT EXISTS invoicing AUTHORIZATION invoicing_svc;
CREATE SCHEMA IF NOT EXISTS document AUTHORIZATION document_svc;
CREATE SCHEMA IF NOT EXISTS notification AUTHORIZATION notification_svc;
-- No service reads another's schema.
REVOKE ALL ON SCHEMA auth, catalog, invoicing, document, notification FROM PUBLIC;
