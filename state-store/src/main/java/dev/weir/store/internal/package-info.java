/**
 * Implementations of the {@code dev.weir.store} SPI: not an API, may change in any release. Only
 * {@link dev.weir.store.internal.StoreInternals} is public, as the door from the SPI package.
 */
package dev.weir.store.internal;
