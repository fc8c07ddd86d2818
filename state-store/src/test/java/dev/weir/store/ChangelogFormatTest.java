package dev.weir.store;

import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
