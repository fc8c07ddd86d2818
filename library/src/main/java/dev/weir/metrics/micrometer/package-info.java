/**
 * The optional Micrometer binder: needs {@code io.micrometer:micrometer-core} on the classpath,
 * which Weir does not bring.
 */
package dev.weir.metrics.micrometer;
