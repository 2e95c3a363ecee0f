/**
 * The block specs: immutable records, one small file per family, each knowing its output shape,
 * parameter count and multiply-accumulates for an input shape. They are the single source of truth
 * that summaries, diagrams, checkpoints and the DJL compiler all read.
 */
package netbook.dsl.spec;
