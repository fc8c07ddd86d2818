/**
 * Turns the logical graph the API records ({@code dev.weir.internal.graph}: nodes carrying operator
 * specs) into the operator factories tasks are built from ({@code dev.weir.internal.task}). This is
 * the only place that knows both sides: the API packages depend on the graph only, and the runtime
 * asks this package for factories once per plan, before any task exists.
 */
package dev.weir.internal.translate;
