/**
 * Implementation of the testkit: broker main class, node settings, readiness probes, parent
 * watching. Not API: anything here may change without notice; use {@code dev.weir.testkit}. Classes
 * are public only where the public package or a child JVM's launcher needs them.
 */
package dev.weir.testkit.internal;
