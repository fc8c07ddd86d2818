/**
 * Interactive queries: read the keyed state of a running application from the application itself,
 * for example to serve it over HTTP, without writing it to a topic and a database first.
 *
 * <pre>{@code
 * StateQuery<String, Long> counts = StateQuery.value("counter", COUNT, Serdes.String());
 * KeyQueryMetadata where = app.queryMetadataForKey("counter", "alice", Serdes.String().serializer());
 * if (where.activeHost().equals(me)) {
 *   Long n = app.query(counts).get("alice");    // read here
 * } else {
 *   redirect(where.activeHost());                // ask the instance that hosts the key
 * }
 * }</pre>
 *
 * <p>A state is named by the {@code uid} of its operator and its descriptor (the same descriptor
 * the function declared, or an equal one: same name and serdes). Queries read the state committed
 * by the last Kafka transaction of the task that holds the key (read committed); see {@link
 * dev.weir.query.ReadOnlyKeyedState} for the isolation and threading rules and {@link
 * dev.weir.query.StateQueryException} for what fails when. See {@code docs/state.md}.
 */
package dev.weir.query;
