package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the persisted state layout: these bytes are in users' RocksDB directories and
 * changelog topics, so a change here is a format change that needs a new version byte and a
 * migration, never an edit of the expected hex.
 */
class StateFormatTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keyedEntryKey() {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_KEYED, "count");
    byte[] key = StateFormat.keyPrefix(prefix, utf8("ab"));
    // 'k', len 5, "count", int32 2, "ab"
    assertThat(HEX.formatHex(key)).isEqualTo("6b05636f756e74000000026162");
    assertThat(StateFormat.stateName(key)).isEqualTo("count");
  }

  @Test
  void aNamespacedKeyPrefixIsTheKeysPrefixWithTheNamespaceAppended() {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED_LIST, "c");
    byte[] once = StateFormat.keyPrefix(prefix, utf8("ab"), utf8("w"));
    // 'N', len 1, "c", int32 2, "ab", int32 1, "w"
    assertThat(HEX.formatHex(once)).isEqualTo("4e01630000000261620000000177");
    assertThat(once)
        .isEqualTo(StateFormat.keyPrefix(StateFormat.keyPrefix(prefix, utf8("ab")), utf8("w")));
  }

  @Test
  void mapEntryKeyAppendsTheMapKey() {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_KEYED, "m");
    byte[] keyPrefix = StateFormat.keyPrefix(prefix, utf8("a"));
    byte[] entry = StateFormat.entryKey(keyPrefix, utf8("x"));
    assertThat(HEX.formatHex(entry)).isEqualTo("6b016d000000016178");
    assertThat(StateFormat.suffix(entry, keyPrefix.length)).isEqualTo(utf8("x"));
  }

  @Test
  void operatorStateKeyHasAnEmptyKey() {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_OPERATOR, "seen");
    assertThat(HEX.formatHex(StateFormat.keyPrefix(prefix, new byte[0])))
        .isEqualTo("6f047365656e00000000");
  }

  @Test
  void plainValue() {
    byte[] v = StateFormat.value(utf8("hi"));
    assertThat(HEX.formatHex(v)).isEqualTo("01006869");
    assertThat(StateFormat.hasTimestamp(v)).isFalse();
    assertThat(StateFormat.payload(v)).isEqualTo(utf8("hi"));
  }

  @Test
  void valueWithTtlTimestamp() {
    byte[] v = StateFormat.valueWithTimestamp(utf8("hi"), 0x0102030405060708L);
    assertThat(HEX.formatHex(v)).isEqualTo("010101020304050607086869");
    assertThat(StateFormat.timestamp(v)).isEqualTo(0x0102030405060708L);
    assertThat(StateFormat.payload(v)).isEqualTo(utf8("hi"));
  }

  @Test
  void listWithAndWithoutTimestamps() {
    List<StateFormat.Element> es =
        List.of(new StateFormat.Element(1, utf8("a")), new StateFormat.Element(2, utf8("bc")));
    assertThat(HEX.formatHex(StateFormat.list(es, false)))
        .isEqualTo("0100" + "0000000161" + "000000026263");
    byte[] withTs = StateFormat.list(es, true);
    assertThat(HEX.formatHex(withTs))
        .isEqualTo(
            "0101" + "0000000000000001" + "0000000161" + "0000000000000002" + "000000026263");
    assertThat(StateFormat.elements(withTs))
        .extracting(StateFormat.Element::timestamp)
        .containsExactly(1L, 2L);
  }

  @Test
  void listHeaderAndElementKeys() {
    byte[] listKey =
        StateFormat.keyPrefix(StateFormat.statePrefix(StateFormat.SCOPE_KEYED, "l"), utf8("a"));
    // The list's key, then the element's sequence as int64 big-endian.
    assertThat(HEX.formatHex(StateFormat.elementKey(listKey, 258)))
        .isEqualTo("6b016c0000000161" + "0000000000000102");
    byte[] plain = StateFormat.listHeader(3, Long.MIN_VALUE);
    assertThat(HEX.formatHex(plain)).isEqualTo("0200" + "0000000000000003");
    byte[] ttl = StateFormat.listHeader(3, 7);
    assertThat(HEX.formatHex(ttl)).isEqualTo("0201" + "0000000000000007" + "0000000000000003");
    assertThat(StateFormat.listHeader(ttl)).isEqualTo(new StateFormat.ListHeader(3, 7));
    assertThat(StateFormat.isListHeader(plain)).isTrue();
    assertThat(StateFormat.isListHeader(StateFormat.value(utf8("x")))).isFalse();
    assertThatThrownBy(() -> StateFormat.listHeader(new byte[] {0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
        .hasMessageContaining("newer Weir");
  }

  @Test
  void segmentedBufferKeysOrderBySegmentThenKeyThenTime() {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED, "b");
    byte[] keyPrefix = StateFormat.segmentKeyPrefix(prefix, 2, utf8("a"));
    byte[] entry = StateFormat.timedKey(keyPrefix, 258);
    // 'j', len 1, "b", segment 2 (sign flipped), int32 1, "a", time 258 (sign flipped)
    assertThat(HEX.formatHex(entry))
        .isEqualTo("6a0162" + "8000000000000002" + "0000000161" + "8000000000000102");
    assertThat(StateFormat.timeOf(entry)).isEqualTo(258);
    assertThat(HEX.formatHex(StateFormat.segmentPrefix(prefix, -1)))
        .isEqualTo("6a0162" + "7fffffffffffffff");
    // Negative times sort below non-negative ones.
    byte[] negative = StateFormat.timedKey(keyPrefix, -1);
    assertThat(HEX.formatHex(negative)).endsWith("7fffffffffffffff");
    assertThat(StateFormat.timeOf(negative)).isEqualTo(-1);
    assertThat(java.util.Arrays.compareUnsigned(negative, entry)).isNegative();
  }

  @Test
  void batchedBufferKeysAndTheirBatchMarkers() {
    // Record 024: the layout of 'j' under 'J', and per segment and commit one marker.
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, "b");
    byte[] entry = StateFormat.timedKey(StateFormat.segmentKeyPrefix(prefix, 2, utf8("a")), 258);
    assertThat(HEX.formatHex(entry))
        .isEqualTo("4a0162" + "8000000000000002" + "0000000161" + "8000000000000102");
    assertThat(StateFormat.batchedEntryScopeLength(entry)).isEqualTo(3 + 8);
    assertThat(StateFormat.batchedEntryScopeLength(prefix)).isEqualTo(-1); // the segment length
    byte[] old = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED, "b");
    assertThat(
            StateFormat.batchedEntryScopeLength(
                StateFormat.timedKey(StateFormat.segmentKeyPrefix(old, 2, utf8("a")), 258)))
        .isEqualTo(-1);
    // 00 42, the scope (prefix and segment 2), sequence 5
    byte[] marker = StateFormat.batchMarker(StateFormat.segmentPrefix(prefix, 2), 5);
    assertThat(HEX.formatHex(marker))
        .isEqualTo("0042" + "4a0162" + "8000000000000002" + "0000000000000005");
    // Markers sort before every other key of Weir's stores.
    assertThat(java.util.Arrays.compareUnsigned(marker, StateFormat.statePrefix((byte) 'b', "")))
        .isNegative();
  }

  @Test
  void batchedNamespacedListKeys() {
    // Record 032: a window's list under 'N', scoped by its own key; the header is a plain entry.
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED_LIST, "c:e");
    byte[] listKey = StateFormat.keyPrefix(StateFormat.keyPrefix(prefix, utf8("a")), utf8("w"));
    assertThat(HEX.formatHex(listKey)).isEqualTo("4e03633a65" + "0000000161" + "0000000177");
    byte[] element = StateFormat.elementKey(listKey, 3);
    assertThat(StateFormat.batchedEntryScopeLength(element)).isEqualTo(listKey.length);
    assertThat(StateFormat.isListScope(element)).isTrue();
    assertThat(StateFormat.batchedEntryScopeLength(listKey)).isEqualTo(-1);
    assertThat(StateFormat.batchedEntryScopeLength(prefix)).isEqualTo(-1);
    // Truncated or malformed lengths are not elements.
    assertThat(StateFormat.batchedEntryScopeLength(HEX.parseHex("4e03633a65" + "7fffffff61")))
        .isEqualTo(-1);
    assertThat(StateFormat.batchedEntryScopeLength(HEX.parseHex("4e03633a65" + "ffffffff61")))
        .isEqualTo(-1);
    // The per-element layout under 'n' is not batched.
    byte[] old = StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED, "c:e");
    byte[] oldKey = StateFormat.keyPrefix(StateFormat.keyPrefix(old, utf8("a")), utf8("w"));
    assertThat(StateFormat.batchedEntryScopeLength(StateFormat.elementKey(oldKey, 3)))
        .isEqualTo(-1);
  }

  @Test
  void recordListAppendsWithoutDecoding() {
    byte[] one = RecordListSerde.appended(null, utf8("x"));
    assertThat(HEX.formatHex(one)).isEqualTo("00000001" + "00000001" + "78");
    byte[] two = RecordListSerde.appended(one, utf8("yz"));
    assertThat(HEX.formatHex(two)).isEqualTo("00000002" + "00000001" + "78" + "00000002" + "797a");
    assertThat(
            new RecordListSerde<>(org.apache.kafka.common.serialization.Serdes.String())
                .deserialize("t", two))
        .containsExactly("x", "yz");
  }

  @Test
  void unknownVersionIsAClearError() {
    assertThatThrownBy(() -> StateFormat.payload(new byte[] {0x02, 0x00, 0x01}))
        .hasMessageContaining("newer Weir");
  }
}
