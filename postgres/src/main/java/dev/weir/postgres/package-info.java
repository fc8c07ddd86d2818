/**
 * A PostgreSQL sink: {@link dev.weir.postgres.PostgresSink} writes exactly once through prepared
 * transactions driven by the task commit, or at least once with idempotent upserts.
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 *
 * <p>The sink is copied per task by Java serialisation within one JVM; that form is no API.
 *
 * @serial exclude
 */
package dev.weir.postgres;
