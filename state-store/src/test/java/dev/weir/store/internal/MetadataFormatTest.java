package dev.weir.store.internal;

import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.StateFormatException;
import org.junit.jupiter.api.Test;

/** Golden bytes of the local metadata records: changing them breaks existing state directories. */
class MetadataFormatTest {
  private static final String WHERE = "task 0_1";

  @Test
  void offsetKeyIsVersionKindAndUtf8Partition() {
    // "app-op-changelog-3" in UTF-8 after 01 (version) 01 (kind: changelog offset)
    assertThat(hex(MetadataFormat.encodeOffsetKey("app-op-changelog-3")))
        .isEqualTo("0101" + "6170702d6f702d6368616e67656c6f672d33");
    assertThat(MetadataFormat.decodeOffsetKey(unhex("01016170702d30"), WHERE)).isEqualTo("app-0");
  }

  @Test
  void offsetValueIsVersionAndBigEndianLong() {
    assertThat(hex(MetadataFormat.encodeOffsetValue(0x0102030405060708L)))
        .isEqualTo("01" + "0102030405060708");
    assertThat(hex(MetadataFormat.encodeOffsetValue(0))).isEqualTo("010000000000000000");
    assertThat(MetadataFormat.decodeOffsetValue(unhex("0100000000000004d2"), WHERE))
        .isEqualTo(1234L);
  }

  @Test
  void layoutRecordIsVersionKindTwoAndItsName() {
    // 01 (version) 02 (kind: layout) "batches-whole"; value 01 (design record 039)
    assertThat(hex(MetadataFormat.BATCHES_WHOLE_KEY))
        .isEqualTo("0102" + "626174636865732d77686f6c65");
    assertThat(hex(MetadataFormat.LAYOUT_VALUE)).isEqualTo("01");
    assertThat(MetadataFormat.isLayoutKey(MetadataFormat.BATCHES_WHOLE_KEY)).isTrue();
    assertThat(MetadataFormat.isLayoutKey(MetadataFormat.encodeOffsetKey("a-0"))).isFalse();
  }

  @Test
  void unknownVersionsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetKey(unhex("0201616263"), WHERE))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("task 0_1")
        .hasMessageContaining("version 0x02")
        .hasMessageContaining("upgrade Weir");
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetValue(unhex("020000000000000001"), WHERE))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("version 0x02");
  }

  @Test
  void unknownKindsAndCorruptRecordsAreRefused() {
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetKey(unhex("0102616263"), WHERE))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("kind 0x02");
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetKey(unhex("01"), WHERE))
        .isInstanceOf(StateFormatException.class);
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetKey(new byte[0], WHERE))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("corrupt");
    assertThatThrownBy(() -> MetadataFormat.decodeOffsetValue(unhex("010102"), WHERE))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("corrupt");
  }
}
