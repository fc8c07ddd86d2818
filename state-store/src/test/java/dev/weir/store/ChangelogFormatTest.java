package dev.weir.store;

import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes of the changelog value format: changing them breaks existing changelogs. */
class ChangelogFormatTest {

  @Test
  void versionOneValueIsTheVersionByteFollowedByTheStoreValue() {
    assertThat(hex(ChangelogFormat.encodeValue(unhex("6162")))).isEqualTo("016162");
    assertThat(hex(ChangelogFormat.encodeValue(new byte[0]))).isEqualTo("01");
    assertThat(hex(ChangelogFormat.encodeValue(unhex("00ff80")))).isEqualTo("0100ff80");
  }

  @Test
  void versionOneDecodesToTheStoreValue() {
    assertThat(hex(ChangelogFormat.decodeValue(unhex("016162")))).isEqualTo("6162");
    assertThat(ChangelogFormat.decodeValue(unhex("01"))).isEmpty();
    assertThat(hex(ChangelogFormat.decodeValue(unhex("0100ff80")))).isEqualTo("00ff80");
  }

  @Test
  void tombstonesStayNullForCompaction() {
    assertThat(ChangelogFormat.encodeValue(null)).isNull();
    assertThat(ChangelogFormat.decodeValue(null)).isNull();
  }

  @Test
  void encodingDoesNotAliasTheInput() {
    byte[] value = unhex("0a");
    byte[] encoded = ChangelogFormat.encodeValue(value);
    value[0] = 0;
    assertThat(hex(encoded)).isEqualTo("010a");
    byte[] decoded = ChangelogFormat.decodeValue(encoded);
    decoded[0] = 0;
    assertThat(hex(encoded)).isEqualTo("010a");
  }

  @Test
  void unknownVersionNamesTheVersionAndTheFix() {
    assertThatThrownBy(() -> ChangelogFormat.decodeValue(unhex("026162")))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 0x02")
        .hasMessageContaining("upgrade Weir");
    assertThatThrownBy(() -> ChangelogFormat.decodeValue(unhex("ff")))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 0xff");
  }

  @Test
  void emptyValueIsRejectedAsForeignData() {
    assertThatThrownBy(() -> ChangelogFormat.decodeValue(new byte[0]))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("not written by Weir");
  }

  /**
   * A batch record's entries as {@code key=value} in hex ({@code key=delete} for a delete), read
   * with {@link ChangelogFormat#forEachBatchEntry}, whose count must match.
   */
  private static List<String> batchEntries(byte[] key, byte[] value) {
    List<String> entries = new ArrayList<>();
    int n =
        ChangelogFormat.forEachBatchEntry(
            key,
            value,
            (k, v, off, len) ->
                entries.add(
                    hex(k)
                        + "="
                        + (v == null ? "delete" : hex(Arrays.copyOfRange(v, off, off + len)))));
    assertThat(n).isEqualTo(entries.size());
    return entries;
  }

  @Test
  void batchRecordKeyAndValue() {
    // Record 024: key 00 42 + scope + sequence; value 02 then per entry the key's suffix after the
    // scope and the store value, each with a varint length.
    byte[] scope = unhex("4a01628000000000000002");
    byte[] key = ChangelogFormat.batchKey(scope, 7);
    assertThat(hex(key)).isEqualTo("0042" + "4a01628000000000000002" + "0000000000000007");
    assertThat(ChangelogFormat.isBatchKey(key)).isTrue();
    assertThat(hex(ChangelogFormat.batchScope(key))).isEqualTo("4a01628000000000000002");
    assertThat(ChangelogFormat.batchSequence(key)).isEqualTo(7);
    assertThat(ChangelogFormat.isBatchKey(unhex("0042" + "0000000000000007"))).isFalse();
    assertThat(ChangelogFormat.isBatchKey(unhex("016162"))).isFalse();
    ChangelogFormat.BatchBuilder b = new ChangelogFormat.BatchBuilder(scope.length);
    b.add(unhex("4a01628000000000000002" + "aa"), unhex("0100" + "61"));
    b.add(unhex("4a01628000000000000002" + "bbcc"), new byte[200]);
    byte[] value = b.toValue();
    assertThat(hex(value).substring(0, 2 + 2 + 2 + 2 + 6 + 2 + 4 + 4))
        .isEqualTo("02" + "01" + "aa" + "03" + "010061" + "02" + "bbcc" + "c801");
    assertThat(batchEntries(key, value))
        .containsExactly(
            "4a01628000000000000002aa=010061", "4a01628000000000000002bbcc=" + "00".repeat(200));
    assertThatThrownBy(() -> ChangelogFormat.forEachBatchEntry(key, unhex("016162"), null))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 0x01");
    assertThatThrownBy(
            () -> ChangelogFormat.forEachBatchEntry(key, unhex("0205aa"), (k, v, o, l) -> {}))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void batchRecordWithDeletes() {
    // Record 032: the first delete turns the batch into version 3, whose puts carry their value's
    // length plus one and whose deletes a 0; the puts added before are re-encoded.
    byte[] scope = unhex("4e01610000000161");
    byte[] key = ChangelogFormat.batchKey(scope, 1);
    ChangelogFormat.BatchBuilder b = new ChangelogFormat.BatchBuilder(scope.length);
    b.add(unhex("4e01610000000161" + "0000000000000005"), unhex("0100" + "61"));
    assertThat(hex(b.toValue())).isEqualTo("02" + "08" + "0000000000000005" + "03" + "010061");
    b.addDelete(unhex("4e01610000000161" + "0000000000000002"));
    b.add(unhex("4e01610000000161" + "0000000000000006"), unhex("0100"));
    byte[] value = b.toValue();
    assertThat(hex(value))
        .isEqualTo(
            "03"
                + ("08" + "0000000000000005" + "04" + "010061")
                + ("08" + "0000000000000002" + "00")
                + ("08" + "0000000000000006" + "03" + "0100"));
    assertThat(b.entries()).isEqualTo(3);
    assertThat(batchEntries(key, value))
        .containsExactly(
            "4e016100000001610000000000000005=010061",
            "4e016100000001610000000000000002=delete",
            "4e016100000001610000000000000006=0100");
    assertThatThrownBy(() -> ChangelogFormat.forEachBatchEntry(key, unhex("0408aa"), null))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 0x04");
  }

  @Test
  void aBatchKeysScopeIsTestedWhereItLiesInTheKey() {
    byte[] key = ChangelogFormat.batchKey(unhex("4e0102"), 7);
    List<String> calls = new ArrayList<>();
    BatchScopeRule rule =
        (bytes, offset, length) -> {
          calls.add((bytes == key) + " " + offset + " " + length);
          return hex(Arrays.copyOfRange(bytes, offset, offset + length)).equals("4e0102");
        };
    assertThat(ChangelogFormat.batchScopeMatches(key, rule)).isTrue();
    assertThat(calls).containsExactly("true 2 3");
    byte[] other = ChangelogFormat.batchKey(unhex("4e01"), 7);
    assertThat(ChangelogFormat.batchScopeMatches(other, rule)).isFalse();
    assertThat(rule.test(unhex("4e0102"))).isTrue();
  }

  @Test
  void aPredicateOverWholeScopesBecomesARuleThatCopiesTheScope() {
    List<String> seen = new ArrayList<>();
    BatchScopeRule rule =
        BatchScopeRule.of(
            scope -> {
              seen.add(hex(scope));
              return scope[0] == 0x4e;
            });
    assertThat(ChangelogFormat.batchScopeMatches(ChangelogFormat.batchKey(unhex("4e01"), 1), rule))
        .isTrue();
    assertThat(ChangelogFormat.batchScopeMatches(ChangelogFormat.batchKey(unhex("4a"), 2), rule))
        .isFalse();
    assertThat(seen).containsExactly("4e01", "4a");
    BatchScopeRule itself = (bytes, offset, length) -> true;
    assertThat(BatchScopeRule.of(itself)).isSameAs(itself);
  }
}
