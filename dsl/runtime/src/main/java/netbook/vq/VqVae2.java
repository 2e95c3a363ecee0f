package netbook.vq;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.convTranspose;
import static netbook.dsl.Layers.relu;
import static netbook.vq.Vq.causalAttention;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.coder;
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
 * priors over its codes. Both are configured by records with named settings and documented
 * defaults (rosinality's), so every setting reads by name:
 * <pre>
 * Net ref   = VqVae2.rosinality();                         // 3x256x256, 1,388,867 trainable parameters
 * Net small = VqVae2.of().input(1, 32, 32).channel(32).resBlocks(1).resChannels(16).dim(16).codes(64).build();
 * Net prior = VqVae2.prior(64, 4, 4).channels(32).layers(3).conditionedOn(10, 0).attentionEvery(1, 2).named("top-prior").build();
 * </pre>
 */
public final class VqVae2 {
    private VqVae2() {}

    /**
     * Two levels in rosinality's layout: the bottom encoder divides H and W by 4, the top by 2 more.
     *
     * @param input image shape (channels, height, width); the output has the same channels
     * @param channel hidden channels of encoders and decoders (rosinality: 128)
     * @param resBlocks residual blocks per encoder and decoder (2)
     * @param resChannels channels inside a residual block (32)
     * @param dim codebook entry size D, the embed dim (64)
     * @param codes codebook entries K per level (512)
     */
    public record Config(long[] input, int channel, int resBlocks, int resChannels, int dim, int codes) {
        /** rosinality's VQVAE() for 3x256x256 images. */
        public static final Config DEFAULT = new Config(new long[] {3, 256, 256}, 128, 2, 32, 64, 512);

        public Config input(long... dims) { return new Config(dims, channel, resBlocks, resChannels, dim, codes); }
        public Config channel(int c) { return new Config(input, c, resBlocks, resChannels, dim, codes); }
        public Config resBlocks(int n) { return new Config(input, channel, n, resChannels, dim, codes); }
        public Config resChannels(int c) { return new Config(input, channel, resBlocks, c, dim, codes); }
        public Config dim(int d) { return new Config(input, channel, resBlocks, resChannels, d, codes); }
        public Config codes(int k) { return new Config(input, channel, resBlocks, resChannels, dim, k); }

        public Net build() { return VqVae2.build(this); }

        @Override public String toString() {
            return "VqVae2(input " + java.util.Arrays.toString(input) + ", channel " + channel + ", resBlocks " + resBlocks
                    + ", resChannels " + resChannels + ", dim " + dim + ", codes " + codes + ")";
        }
    }

    /** rosinality's settings ({@link Config#DEFAULT}), to change by name. */
    public static Config of() {
        return Config.DEFAULT;
    }

    /**
     * rosinality's VQVAE(in 3, channel 128, 2 residual blocks of 32, embed dim 64, 512 codes, decay
     * 0.99) for 256x256 images: top codes 32x32, bottom 64x64; EMA codebooks without debiasing, as
     * there, are buffers.
     */
    public static Net rosinality() {
        return of().build().named("vqvae2-rosinality");
    }

    static Net build(Config c) {
        if (c.input().length != 3) {
            throw new netbook.dsl.NetbookException("VqVae2: input must be (channels, height, width), received " + java.util.Arrays.toString(c.input()));
        }
        // rosinality's levels share their widths; the bottom divides H and W by 4, the top by 2 more.
        Vq.Coder bottom = coder().channel(c.channel()).resBlocks(c.resBlocks()).resChannels(c.resChannels());
        VqHierarchy h = levels(
                level("bottom").encoder(encoder(bottom))
                        .quantize(vectorQuantize(c.codes(), c.dim()).biased()),
                level("top").encoder(encoder(bottom.stride(2)))
                        .quantize(vectorQuantize(c.codes(), c.dim()).biased())
                        .decoder(decoder(c.dim(), bottom.stride(2)))
                        .upsample(convTranspose(c.dim(), 4).stride(2).padding(1)))
                .decoder(decoder((int) c.input()[0], bottom));
        return Net.input(c.input()).named("vqvae2").add(h.named("vqvae"));
    }

    /**
     * A gated PixelCNN prior over an H x W map of K codes: input embedding, a 7x7 mask-A gated layer,
     * {@code layers - 1} 3x3 mask-B gated layers with causal attention after every
     * {@code attentionEvery} of them (0: none), then ReLU, 1x1 conv (C), ReLU, 1x1 conv (K logits).
     * {@code conditions > 0}: conditioned on an index plane with that many values (class labels or the
     * codes of the level above) through {@code conditionBlocks} residual blocks.
     *
     * @param name the network's name
     * @param codes K, the codes modelled
     * @param height the code map's height
     * @param width the code map's width
     * @param channels C, the gated layers' channels (default 32)
     * @param layers gated layers (default 3)
     * @param conditions values of the conditioning plane; 0 (default) for an unconditional prior
     * @param conditionBlocks residual blocks the condition goes through (default 0)
     * @param attentionEvery causal attention after every this many gated layers; 0 (default) for none
     * @param heads attention heads (default 2)
     */
    public record Prior(String name, int codes, int height, int width, int channels, int layers,
                        int conditions, int conditionBlocks, int attentionEvery, int heads) {
        public Prior named(String n) { return new Prior(n, codes, height, width, channels, layers, conditions, conditionBlocks, attentionEvery, heads); }
        public Prior channels(int c) { return new Prior(name, codes, height, width, c, layers, conditions, conditionBlocks, attentionEvery, heads); }
        public Prior layers(int n) { return new Prior(name, codes, height, width, channels, n, conditions, conditionBlocks, attentionEvery, heads); }
        /** Conditioned on an index plane with {@code values} values, through {@code blocks} residual blocks. */
        public Prior conditionedOn(int values, int blocks) { return new Prior(name, codes, height, width, channels, layers, values, blocks, attentionEvery, heads); }
        /** Causal attention with {@code heads} heads after every {@code every} gated layers. */
        public Prior attentionEvery(int every, int heads) { return new Prior(name, codes, height, width, channels, layers, conditions, conditionBlocks, every, heads); }

        public Net build() { return VqVae2.build(this); }
    }

    /** A prior over an H x W map of K codes with the defaults of {@link Prior}. */
    public static Prior prior(int codes, int height, int width) {
        return new Prior("prior", codes, height, width, 32, 3, 0, 0, 0, 2);
    }

    static Net build(Prior p) {
        List<Layer> l = new ArrayList<>();
        l.add(p.conditions() > 0 ? pixelCnnInput(p.codes(), p.channels()).conditionedOn(p.conditions(), p.conditionBlocks())
                : pixelCnnInput(p.codes(), p.channels()));
        l.add(gated(7).maskA());
        for (int i = 1; i < p.layers(); i++) {
            l.add(gated(3));
            if (p.attentionEvery() > 0 && i % p.attentionEvery() == 0) l.add(causalAttention(p.heads()));
        }
        l.add(stackOutput());
        l.add(relu());
        l.add(conv(p.channels(), 1));
        l.add(relu());
        l.add(conv(p.codes(), 1).named("logits"));
        return Net.input(p.conditions() > 0 ? 2 : 1, p.height(), p.width()).named(p.name()).add(l.toArray(Layer[]::new));
    }
}
