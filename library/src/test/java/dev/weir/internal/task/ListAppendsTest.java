package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.ChangelogFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Design record 042: the appends of window lists between commits. */
class ListAppendsTest {
  private final ListAppends appends = new ListAppends(TaskState.BATCHES_STORED_WHOLE);

  private static byte[] listKey(String s) {
    byte[] k = s.getBytes(StandardCharsets.UTF_8);
    k[0] = StateFormat.SCOPE_NAMESPACED_LIST;
    return k;
  }

  private static List<String> elements(ListAppends.Appended a) {
    List<String> out = new ArrayList<>();
    a.forEach(
        (seq, bytes, offset, length) -> {
          byte[] v = Arrays.copyOfRange(bytes, offset, offset + length);
          out.add(seq + "=" + new String(StateFormat.payload(v), StandardCharsets.UTF_8));
        });
    return out;
  }

  /** The elements of the batch values, as a restore decodes them. */
  private static List<String> decoded(byte[] listKey, List<byte[]> values) {
    List<String> out = new ArrayList<>();
    for (byte[] v : values) {
      ChangelogFormat.forEachBatchEntry(
          ChangelogFormat.batchKey(listKey, 0),
          v,
          (k, value, offset, length) ->
              out.add(
                  ListStateImpl.sequence(k, listKey.length)
                      + "="
                      + new String(
                          StateFormat.payload(Arrays.copyOfRange(value, offset, offset + length)),
                          StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void listsAreFoundByContentAndHoldTheirElementsInOrderAsTheirBatchesDecode() {
    byte[] a = listKey("Na-window-1");
    byte[] b = listKey("Nb-window-1");
    appends.append(a, 7, "x".getBytes(StandardCharsets.UTF_8));
    appends.append(b, 0, "y".getBytes(StandardCharsets.UTF_8));
    appends.append(a.clone(), 8, "z".getBytes(StandardCharsets.UTF_8));

    ListAppends.Appended la = appends.find(a.clone());
    assertThat(elements(la)).containsExactly("7=x", "8=z");
    assertThat(la.nextSequence()).isEqualTo(9);
    assertThat(la.count()).isEqualTo(2);
    assertThat(decoded(a, la.batchValues())).containsExactly("7=x", "8=z");
    assertThat(elements(appends.find(b))).containsExactly("0=y");
    assertThat(appends.find(listKey("Nc-window-1"))).isNull();
    assertThat(appends.inKeyOrder()).extracting(x -> x.listKey).containsExactly(a, b);
    assertThat(appends.bytes()).isPositive();

    assertThatThrownBy(() -> appends.append(a, 8, new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("out of order");

    appends.drop(a.clone());
    assertThat(appends.find(a)).isNull();
    assertThat(appends.find(b)).isNotNull();
    appends.clear();
    assertThat(appends.isEmpty()).isTrue();
    assertThat(appends.bytes()).isZero();
  }

  @Test
  void aListPastTheBatchLimitIsSeveralBatchesAndAReusedChunkShowsNothingOld() {
    byte[] a = listKey("Na-window-1");
    byte[] payload = new byte[10_000];
    Arrays.fill(payload, (byte) 'p');
    for (int i = 0; i < 60; i++) {
      appends.append(a, i, payload);
    }
    List<byte[]> values = appends.find(a).batchValues();
    // An entry takes 1 + 8 + 2 + 2 + 10,000 bytes: 26 fit after the version byte in 256 KiB.
    assertThat(values).extracting(v -> v.length).allMatch(n -> n <= TaskState.MAX_BATCH_BYTES);
    assertThat(values).hasSize(3);
    assertThat(decoded(a, values)).hasSize(60);
    assertThat(appends.bytes()).isGreaterThanOrEqualTo(60 * 10_000L);
    appends.clear();

    // The next lists start from the spare chunks, which still hold the old bytes past their size.
    byte[] b = listKey("Nb-window-2");
    appends.append(b, 3, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(elements(appends.find(b))).containsExactly("3=new");
    assertThat(decoded(b, appends.find(b).batchValues())).containsExactly("3=new");
  }

  /**
   * A window function may iterate its elements after the list is gone: a chunk a reader got in
   * place is never handed to another list, while one read by copying is.
   */
  @Test
  void aChunkReadInPlaceIsNotReusedAfterItsListGoes() {
    for (boolean inPlace : new boolean[] {true, false}) {
      ListAppends fresh = new ListAppends(TaskState.BATCHES_STORED_WHOLE);
      byte[] a = listKey("Na-window-1");
      fresh.append(a, 0, "first".getBytes(StandardCharsets.UTF_8));
      byte[][] held = {null};
      byte[] before;
      ListAppends.ElementVisitor keep = (seq, bytes, offset, length) -> held[0] = bytes;
      if (inPlace) {
        fresh.find(a).forEachInPlace(keep);
      } else {
        fresh.find(a).forEach(keep);
      }
      before = held[0].clone();
      fresh.drop(a);
      fresh.append(listKey("Nb-window-2"), 0, "other".getBytes(StandardCharsets.UTF_8));
      if (inPlace) {
        assertThat(held[0]).as("read in place").isEqualTo(before);
      } else {
        assertThat(held[0])
            .as("read by copying: the chunk went to the next list")
            .isNotEqualTo(before);
      }
    }
  }

  @Test
  void onlyListScopesOfAWholeBatchRuleAreAccepted() {
    assertThat(appends.accepts(StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED_LIST, "w:e")))
        .isTrue();
    assertThat(appends.accepts(StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED, "w:e")))
        .isFalse();
    ListAppends none = new ListAppends((bytes, offset, length) -> false);
    assertThat(none.accepts(StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED_LIST, "w:e")))
        .isFalse();
  }
}
