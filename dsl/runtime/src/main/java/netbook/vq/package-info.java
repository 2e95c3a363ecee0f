/**
 * VQ-VAE (van den Oord et al. 2017) and VQ-VAE-2 (Razavi et al. 2019): the vector quantiser ({@link netbook.vq.VectorQuantize},
 * trainable or EMA codebook), hierarchies of levels ({@link netbook.vq.Vq#levels}, one level is the
 * 2017 VQ-VAE, two are VQ-VAE-2, more work the same way), rosinality's encoder/decoder pieces,
 * gated PixelCNN priors with masked convolutions, conditioning and causal attention
 * ({@link netbook.vq.VqVae2#prior}), and their training tasks on {@link netbook.train.TrainingLoop} ({@link netbook.vq.VqVaeModel},
 * {@link netbook.vq.PriorModel}, ancestral sampling). Every piece is an immutable spec that knows
 * its output shape and parameter count without an engine; {@code import static netbook.vq.Vq.*}.
 */
package netbook.vq;
