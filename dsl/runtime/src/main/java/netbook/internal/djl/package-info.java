/**
 * The compiler from spec trees to DJL blocks, one block per spec node named by the spec's names.
 * Not public API: shapes come from the specs, never re-derived here.
 */
package netbook.internal.djl;
