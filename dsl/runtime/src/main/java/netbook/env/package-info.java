/**
 * What a result was computed on, used by every part of Netbook: {@link netbook.env.Env} (engine,
 * versions, devices, threads, the CPU's convolution guard) and {@link netbook.env.Stamp} (the seed,
 * environment and data hash written beside every results file).
 */
package netbook.env;
