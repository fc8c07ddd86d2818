package dev.weir.sink.file;

/**
 * Puts every record into the base path itself (no bucket directories). Thread-safe.
 *
 * @param <IN> the record type
 */
public final class BasePathBucketAssigner<IN> implements BucketAssigner<IN> {
  private static final long serialVersionUID = 1L;

  /** Creates the assigner. */
  public BasePathBucketAssigner() {}

  @Override
  public String getBucketId(IN element, Context context) {
    return "";
  }
}
