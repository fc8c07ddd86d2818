/**
 * User metrics: the counters, gauges, histograms and meters a rich function registers through
 * {@code getRuntimeContext().getMetricGroup()}. They live in the application instance's Kafka
 * metric registry next to Weir's own, tagged with the task and operator, and so reach JMX, {@code
 * metric.reporters}, {@code WeirApplication.metrics()} and the Micrometer binder ({@link
 * dev.weir.metrics.micrometer.WeirMetricsBinder}).
 */
package dev.weir.metrics;
