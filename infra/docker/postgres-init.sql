-- One database per service (the same list as infra/src: SERVICE_DATABASES) plus Temporal's own.
CREATE DATABASE linli_communities;
CREATE DATABASE linli_organizations;
CREATE DATABASE linli_payments;
CREATE DATABASE linli_supervision;
CREATE DATABASE linli_operations;
