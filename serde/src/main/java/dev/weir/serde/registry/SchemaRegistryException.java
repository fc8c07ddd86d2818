package dev.weir.serde.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A schema registry request failed: the registry answered with an error, or could not be reached
 * within the retries. Carries the HTTP status and the registry's error code when there was an
 * answer.
 *
 * @serial exclude
 */
public class SchemaRegistryException extends KafkaException {
  /** The registry's error code for an unknown subject. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** The registry's error code for an unknown version. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** The registry's error code for an unknown schema. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  private final int status;
  private final int errorCode;

  /**
   * Creates the exception.
   *
   * @param message what was asked and what came back
   * @param status the HTTP status, or -1 when there was no answer
   * @param errorCode the registry's {@code error_code}, or -1
   * @param cause the cause, or null
   */
  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /**
   * Returns the HTTP status.
   *
   * @return the status, or -1 when the registry gave no answer
   */
  public int status() {
    return status;
  }

  /**
   * Returns the registry's error code.
   *
   * @return the {@code error_code} of the answer, or -1
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Whether the registry said the subject, version or schema does not exist.
   *
   * @return true for a 404 answer
   */
  public boolean notFound() {
    return status == 404;
  }
}
