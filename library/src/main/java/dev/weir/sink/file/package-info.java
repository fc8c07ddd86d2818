/**
 * An exactly-once file sink on the two-phase-commit SPI: row-format part files in bucket
 * directories, finished only after the Kafka commit that records them ({@link
 * dev.weir.sink.file.FileSink}).
 */
package dev.weir.sink.file;
