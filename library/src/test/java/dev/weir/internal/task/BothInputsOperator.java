package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A keyed two-input operator for tests: both inputs append to one list state of the current key and
 * register an event-time timer 10 ms after the record and a processing-time timer 100 ms after now.
 * Emits {@code "<input> <key> seen=<state>"} per record and {@code "timer <domain> <key>
 * seen=<state>"} per timer, so one output line shows which input a record reached and which state
 * both inputs share.
 */
final class BothInputsOperator extends TwoInputOperator<String, String> {
  private final Emitter<String> out;
  private final KeyedContext.TimerHandler onTimer = this::onTimer;
  private KeyedContext<String> keyed;
  private ListState<String> seen;

  BothInputsOperator(String name, Emitter<String> out) {
    super(name);
    this.out = out;
  }

  @Override
  protected void doOpen() {
    keyed = KeyedContext.of(name, storeName, task, Serdes.String().deserializer());
    seen = keyed.states().list(new ListStateDescriptor<>("seen", Serdes.String()));
  }

  @Override
  public void process1(String value) throws Exception {
    onRecord("input1", value);
  }

  @Override
  public void process2(String value) throws Exception {
    onRecord("input2", value);
  }

  @Override
  Emitter<String> firstInput() {
    return this::process1;
  }

  @Override
  Emitter<String> secondInput() {
    return this::process2;
  }

  private void onRecord(String input, String value) throws Exception {
    seen.add(input + "=" + value);
    keyed.timerService().registerEventTimeTimer(task.record().timestamp() + 10);
    keyed.timerService().registerProcessingTimeTimer(task.currentProcessingTime() + 100);
    out.emit(input + " " + keyed.currentKey() + " seen=" + list());
  }

  @Override
  public void onWatermark(long watermark) throws Exception {
    keyed.fireEventTimers(watermark, onTimer);
  }

  @Override
  public void onProcessingTime(long now) throws Exception {
    keyed.fireProcessingTimers(now, onTimer);
  }

  private void onTimer(long time, byte[] namespace, TimeDomain domain) throws Exception {
    out.emit("timer " + domain + " " + keyed.currentKey() + " seen=" + list());
  }

  private List<String> list() {
    List<String> all = new ArrayList<>();
    seen.get().forEach(all::add);
    return all;
  }
}
