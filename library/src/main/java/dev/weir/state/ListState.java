package dev.weir.state;

import java.util.List;

/**
 * A list of values per key (or per task, for operator state). Reading deserialises the whole list;
 * keep lists short or use {@link MapState}.
 *
 * @param <T> element type
 */
public interface ListState<T> extends State {
  /**
   * Returns the current key's elements in insertion order.
   *
   * @return a new list; empty when there are none
   */
  List<T> get();

  /**
   * Appends an element.
   *
   * @param value the element; not null
   */
  void add(T value);

  /**
   * Appends elements.
   *
   * @param values the elements; not null, without null elements
   */
  void addAll(List<T> values);

  /**
   * Replaces the current key's elements; an empty list clears the state.
   *
   * @param values the new elements; not null, without null elements
   */
  void update(List<T> values);
}
