package dev.weir.windowing;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * One window per key holding every record; it never fires unless a trigger is set (for example
 * {@link CountTrigger}), and its state is never cleaned up by time.
 */
public final class GlobalWindows extends WindowAssigner<Object, GlobalWindow> {
  private static final long serialVersionUID = 1L;

  private GlobalWindows() {}

  /**
   * Returns the assigner.
   *
   * @return the assigner
   */
  public static GlobalWindows create() {
    return new GlobalWindows();
  }

  @Override
  public Collection<GlobalWindow> assignWindows(Object element, long timestamp, long now) {
    return List.of(GlobalWindow.get());
  }

  @Override
  public Trigger<Object, GlobalWindow> getDefaultTrigger() {
    return new NeverTrigger();
  }

  @Override
  public Serde<GlobalWindow> windowSerde() {
    return GlobalWindow.serde();
  }

  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "GlobalWindows";
  }

  /** The default trigger of global windows: never fires. */
  public static final class NeverTrigger extends Trigger<Object, GlobalWindow> {
    private static final long serialVersionUID = 1L;

    /** Creates the trigger; {@link GlobalWindows#getDefaultTrigger()} returns a new one. */
    public NeverTrigger() {}

    @Override
    public TriggerResult onElement(
        Object element, long timestamp, GlobalWindow window, TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, GlobalWindow window, TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, GlobalWindow window, TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
      return true;
    }

    @Override
    public void onMerge(GlobalWindow window, OnMergeContext ctx) {}

    @Override
    public void clear(GlobalWindow window, TriggerContext ctx) {}
  }
}
