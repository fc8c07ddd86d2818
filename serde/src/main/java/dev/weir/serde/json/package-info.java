/** JSON serdes on Jackson: {@link dev.weir.serde.json.JsonSerde}. */
package dev.weir.serde.json;
