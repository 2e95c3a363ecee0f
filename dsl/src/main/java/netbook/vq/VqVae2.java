package netbook.vq;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.convTranspose;
import static netbook.dsl.Layers.relu;
import static netbook.vq.Vq.causalAttention;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.gated;
import static netbook.vq.Vq.level;
import static netbook.vq.Vq.levels;
import static netbook.vq.Vq.pixelCnnInput;
import static netbook.vq.Vq.stackOutput;
import static netbook.vq.Vq.vectorQuantize;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.Net;

/**
 * VQ-VAE-2 (Razavi et al. 2019) as rosinality/vq-vae-2-pytorch builds it, and the gated PixelCNN
 * priors over its codes.
 * <pre>
 * Net ref = VqVae2.rosinality();           // 3x256x256, 1,388,867 trainable parameters
 * Net small = VqVae2.of(1, 32, 32, 32, 1, 16, 16, 64);
 * </pre>
 */
public final class VqVae2 {
    private VqVae2() {}

    /**
     * rosinality's VQVAE(in 3, channel 128, 2 residual blocks of 32, embed dim 64, 512 codes, decay
     * 0.99) for 256x256 images: top codes 32x32, bottom 64x64; EMA codebooks without debiasing, as
     * there, are buffers.
     */
    public static Net rosinality() {
        return of(3, 256, 256, 128, 2, 32, 64, 512).named("vqvae2-rosinality");
    }

    /**
     * Two levels in rosinality's layout: the bottom encoder divides H and W by 4, the top by 2 more.
     *
     * @param channels image channels (in and out)
     * @param channel hidden channels of encoders and decoders
     * @param resBlocks residual blocks per encoder and decoder
     * @param resChannels channels inside a residual block
     * @param dim codebook entry size D (embed dim)
     * @param codes codebook entries K per level
     */
    public static Net of(int channels, int height, int width, int channel, int resBlocks, int resChannels, int dim, int codes) {
        VqHierarchy h = levels(
                level("bottom").encoder(encoder(channel, resBlocks, resChannels, 4))
                        .quantize(vectorQuantize(codes, dim).biased()),
                level("top").encoder(encoder(channel, resBlocks, resChannels, 2))
                        .quantize(vectorQuantize(codes, dim).biased())
                        .decoder(decoder(dim, channel, resBlocks, resChannels, 2))
                        .upsample(convTranspose(dim, 4).stride(2).padding(1)))
                .decoder(decoder(channels, channel, resBlocks, resChannels, 4));
        return Net.input(channels, height, width).named("vqvae2").add(h.named("vqvae"));
    }

    /**
     * A gated PixelCNN prior over an H x W map of K codes: input embedding, a 7x7 mask-A gated layer,
     * {@code layers - 1} 3x3 mask-B gated layers with causal attention after every
     * {@code attentionEvery} of them (0: none), then ReLU, 1x1 conv (C), ReLU, 1x1 conv (K logits).
     * {@code conditions > 0}: conditioned on an index plane with that many values (class labels or the
     * codes of the level above) through {@code conditionBlocks} residual blocks.
     */
    public static Net prior(String name, int codes, int height, int width, int channels, int layers,
                            int conditions, int conditionBlocks, int attentionEvery, int heads) {
        List<Layer> l = new ArrayList<>();
        l.add(conditions > 0 ? pixelCnnInput(codes, channels).conditionedOn(conditions, conditionBlocks) : pixelCnnInput(codes, channels));
        l.add(gated(7).maskA());
        for (int i = 1; i < layers; i++) {
            l.add(gated(3));
            if (attentionEvery > 0 && i % attentionEvery == 0) l.add(causalAttention(heads));
        }
        l.add(stackOutput());
        l.add(relu());
        l.add(conv(channels, 1));
        l.add(relu());
        l.add(conv(codes, 1).named("logits"));
        return Net.input(conditions > 0 ? 2 : 1, height, width).named(name).add(l.toArray(Layer[]::new));
    }
}
