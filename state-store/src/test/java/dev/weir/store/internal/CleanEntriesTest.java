package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.StateCache;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CleanEntriesTest {
  private static CacheEntry entry(String key, String value) {
    CacheEntry e = new CacheEntry(new CacheEntry.Key(key.getBytes(StandardCharsets.UTF_8)));
    e.value = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    return e;
  }

  @Test
  void evictsLeastRecentlyUsedFirstAndTouchingMovesAnEntryToTheEnd() {
    StateCache cache = StateCache.of(1 << 20);
    CleanEntries clean = new CleanEntries(cache);
    CacheEntry a = entry("a", "1");
    CacheEntry b = entry("b", "22");
    CacheEntry c = entry("c", null);
    clean.add(a);
    clean.add(b);
    clean.add(c);
    clean.touch(a); // b, c, a
    clean.touch(a); // already last: unchanged

    assertThat(clean.evictEldest()).isSameAs(b);
    assertThat(clean.evictEldest()).isSameAs(c);
    assertThat(clean.evictEldest()).isSameAs(a);
    assertThat(clean.evictEldest()).isNull();
    assertThat(clean.bytes()).isZero();
    assertThat(cache.usedBytes()).isZero();
    assertThat(cache.evictions()).isEqualTo(3);
  }

  @Test
  void bytesFollowTheEntriesAndRemoveTellsWhetherAnEntryWasThere() {
    StateCache cache = StateCache.of(1 << 20);
    CleanEntries clean = new CleanEntries(cache);
    CacheEntry a = entry("a", "1");
    CacheEntry b = entry("bb", "22");
    CacheEntry outside = entry("x", "y");
    clean.add(a);
    clean.add(b);
    assertThat(clean.bytes()).isEqualTo(a.bytes() + b.bytes());
    assertThat(cache.usedBytes()).isEqualTo(a.bytes() + b.bytes());

    assertThat(clean.contains(a)).isTrue();
    assertThat(clean.contains(outside)).isFalse();
    assertThat(clean.remove(outside)).isFalse();
    assertThat(clean.remove(a)).isTrue();
    assertThat(clean.contains(a)).isFalse();
    assertThat(clean.remove(a)).isFalse();
    assertThat(clean.bytes()).isEqualTo(b.bytes());
    assertThat(cache.usedBytes()).isEqualTo(b.bytes());

    // The only entry is both first and last: removing it empties the list.
    assertThat(clean.remove(b)).isTrue();
    assertThat(clean.evictEldest()).isNull();
    assertThat(cache.evictions()).isZero();
  }

  @Test
  void clearGivesEveryByteBackAndUnlinksTheEntries() {
    StateCache cache = StateCache.of(1 << 20);
    CleanEntries clean = new CleanEntries(cache);
    CacheEntry a = entry("a", "1");
    CacheEntry b = entry("b", "2");
    clean.add(a);
    clean.add(b);
    clean.clear();
    assertThat(clean.bytes()).isZero();
    assertThat(cache.usedBytes()).isZero();
    assertThat(clean.contains(a)).isFalse();
    assertThat(clean.contains(b)).isFalse();
    assertThat(a.next).isNull();
    assertThat(b.prev).isNull();
    // Usable again after a clear.
    clean.add(b);
    assertThat(clean.evictEldest()).isSameAs(b);
  }
}
