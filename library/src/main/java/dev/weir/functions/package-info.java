/**
 * User extension points: the functions that pipelines are built from.
 *
 * <p>Every function interface here is {@link java.io.Serializable}: Weir gives each task its own
 * copy of a function (made by Java-serialising the object the pipeline was built with), so a
 * function's fields are never shared between tasks and constructor arguments survive. Members that
 * cannot be serialised (clients, connections) belong in {@link
 * dev.weir.functions.RichFunction#open()}. This is the only use of Java serialisation in Weir;
 * records and state always go through explicit Kafka {@code Serde}s.
 */
package dev.weir.functions;
