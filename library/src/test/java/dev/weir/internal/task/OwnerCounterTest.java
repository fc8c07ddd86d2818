package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OwnerCounterTest {
  @Test
  void countsIncrementsAndAdds() {
    OwnerCounter c = new OwnerCounter();
    assertThat(c.sum()).isZero();
    c.increment();
    c.increment();
    c.add(40);
    assertThat(c.sum()).isEqualTo(42);
  }

  @Test
  void aReaderOnAnotherThreadSeesTheCountOnlyMoveForwardAndEndWhole() throws Exception {
    OwnerCounter c = new OwnerCounter();
    long n = 2_000_000;
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> wrong = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              long last = 0;
              while (!done.get()) {
                long now = c.sum();
                if (now < last || now > n) {
                  wrong.compareAndSet(null, last + " then " + now);
                }
                last = now;
              }
            });
    reader.start();
    for (long i = 0; i < n; i++) {
      c.increment();
    }
    done.set(true);
    reader.join();
    assertThat(wrong.get()).isNull();
    assertThat(c.sum()).isEqualTo(n);
  }
}
