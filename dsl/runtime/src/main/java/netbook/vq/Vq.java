package netbook.vq;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.convTranspose;
import static netbook.dsl.Layers.relu;
import static netbook.dsl.Layers.repeat;
import static netbook.dsl.Layers.residual;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;
import netbook.dsl.spec.Residual;
import netbook.dsl.spec.Sequential;

/**
 * The VQ-VAE vocabulary, for {@code import static netbook.vq.Vq.*} next to {@code netbook.dsl.Layers.*}:
 * quantisers, hierarchy levels, rosinality's encoder/decoder pieces and the PixelCNN prior layers.
 * <pre>
 * Net vqvae2 = Net.input(3, 256, 256).add(levels(
 *         level("bottom").encoder(encoder(coder())).quantize(vectorQuantize(512, 64).ema()),
 *         level("top").encoder(encoder(coder().stride(2))).quantize(vectorQuantize(512, 64).ema())
 *             .decoder(decoder(64, coder().stride(2))).upsample(convTranspose(64, 4).stride(2).padding(1)))
 *     .decoder(decoder(3, coder())));
 * Net prior = Net.input(1, 32, 32).add(pixelCnnInput(512, 64), gated(7).maskA(),
 *         repeat(4, i -> gated(3)), causalAttention(4), stackOutput(), relu(), conv(512, 1));
 * </pre>
 */
public final class Vq {
    private Vq() {}

    // ---- quantisers and levels ----------------------------------------------------------------

    /** A K x D codebook with a trainable codebook and beta 0.25; chain {@code .ema()} for EMA updates. */
    public static VectorQuantize vectorQuantize(int count, int dim) { return VectorQuantize.of(count, dim); }

    /** A hierarchy level; give it an encoder, a quantiser and, above the bottom, a decoder and an upsample. */
    public static Level level(String name) { return Level.named(name); }

    /** Levels bottom first; finish with {@code .decoder(...)}, the final decoder. */
    public static Levels levels(Level... levels) { return new Levels(List.of(levels)); }

    /** A one-level VQ-VAE (van den Oord et al. 2017): encoder, quantiser, decoder. */
    public static VqHierarchy vqVae(Layer encoder, VectorQuantize quantize, Layer decoder) {
        return levels(level("bottom").encoder(encoder).quantize(quantize)).decoder(decoder);
    }

    /** Hierarchy levels waiting for their final decoder. */
    public record Levels(List<Level> levels) {
        public VqHierarchy decoder(Layer... layers) {
            return new VqHierarchy(levels, Sequential.of(List.of(layers)));
        }
    }

    // ---- encoder and decoder pieces (rosinality/vq-vae-2-pytorch) ------------------------------

    /** ReLU, 3x3 conv to {@code resChannels}, ReLU, 1x1 conv back to {@code channels}, added to the input. */
    public static Residual resBlock(int channels, int resChannels) {
        return residual(relu(), conv(resChannels, 3).padding(1), relu(), conv(channels, 1));
    }

    /**
     * The settings shared by rosinality's encoder and decoder of one level; the default is the
     * bottom level of rosinality's VQ-VAE-2 ({@code channel 128, 2 residual blocks of 32 channels,
     * stride 4}). {@code encoder(coder().stride(2))}, {@code decoder(64, coder().stride(2))}.
     *
     * @param channel the width of the residual stack (even: the first stride-2 conv has half)
     * @param resBlocks residual blocks (ReLU, 3x3 conv to resChannels, ReLU, 1x1 conv back)
     * @param resChannels the width inside a residual block
     * @param stride how much H and W shrink (encoder) or grow (decoder): 2 or 4
     */
    public record Coder(int channel, int resBlocks, int resChannels, int stride) {
        public static final Coder DEFAULT = new Coder(128, 2, 32, 4);

        public Coder {
            if (channel < 2 || channel % 2 != 0) throw new NetbookException("Vq.coder(): channel is a positive even number, received " + channel);
            if (resBlocks < 0) throw new NetbookException("Vq.coder(): resBlocks is 0 or more, received " + resBlocks);
            if (resChannels < 1) throw new NetbookException("Vq.coder(): resChannels is 1 or more, received " + resChannels);
            if (stride != 2 && stride != 4) throw new NetbookException("Vq.coder(): stride is 2 or 4, received " + stride);
        }

        public Coder channel(int v) { return new Coder(v, resBlocks, resChannels, stride); }
        public Coder resBlocks(int v) { return new Coder(channel, v, resChannels, stride); }
        public Coder resChannels(int v) { return new Coder(channel, resBlocks, v, stride); }
        public Coder stride(int v) { return new Coder(channel, resBlocks, resChannels, v); }
    }

    /** {@link Coder#DEFAULT}, to change with its withers. */
    public static Coder coder() { return Coder.DEFAULT; }

    /**
     * rosinality's Encoder. Stride 4: conv 4x4/2 (channel/2), ReLU, conv 4x4/2 (channel), ReLU,
     * conv 3x3 (channel), residual blocks, ReLU. Stride 2: conv 4x4/2 (channel/2), ReLU, conv 3x3
     * (channel), residual blocks, ReLU.
     */
    public static Sequential encoder(Coder c) {
        List<Layer> l = new ArrayList<>();
        if (c.stride() == 4) {
            l.addAll(List.of(conv(c.channel() / 2, 4).stride(2).padding(1), relu(),
                    conv(c.channel(), 4).stride(2).padding(1), relu(), conv(c.channel(), 3).padding(1)));
        } else {
            l.addAll(List.of(conv(c.channel() / 2, 4).stride(2).padding(1), relu(), conv(c.channel(), 3).padding(1)));
        }
        l.add(repeat(c.resBlocks(), "res", i -> resBlock(c.channel(), c.resChannels())));
        l.add(relu());
        return Sequential.of(l);
    }

    /**
     * rosinality's Decoder to {@code out} channels: conv 3x3 (channel), residual blocks, ReLU, then
     * stride 4: transposed conv 4x4/2 (channel/2), ReLU, transposed conv 4x4/2 (out); stride 2:
     * transposed conv 4x4/2 (out).
     */
    public static Sequential decoder(int out, Coder c) {
        List<Layer> l = new ArrayList<>();
        l.add(conv(c.channel(), 3).padding(1));
        l.add(repeat(c.resBlocks(), "res", i -> resBlock(c.channel(), c.resChannels())));
        l.add(relu());
        if (c.stride() == 4) {
            l.addAll(List.of(convTranspose(c.channel() / 2, 4).stride(2).padding(1), relu(),
                    convTranspose(out, 4).stride(2).padding(1)));
        } else {
            l.add(convTranspose(out, 4).stride(2).padding(1));
        }
        return Sequential.of(l);
    }

    // ---- autoregressive priors ----------------------------------------------------------------

    /** PixelCNN masked convolution, mask 'A' (first layer) or 'B'. */
    public static MaskedConv2d maskedConv(int filters, int kernel, char mask) { return new MaskedConv2d(filters, kernel, mask, true); }

    /** Embeds K codes into C channels and starts the gated stream; chain {@code .conditionedOn(n)}. */
    public static PixelCnnInput pixelCnnInput(int codes, int channels) { return new PixelCnnInput(codes, channels, 0, 0); }

    /** A gated PixelCNN layer with mask B and a residual; {@code gated(7).maskA()} for the first layer. */
    public static GatedLayer gated(int kernel) { return new GatedLayer(kernel, false); }

    /** Causal multi-head self-attention on the horizontal stack. */
    public static CausalAttention causalAttention(int heads) { return new CausalAttention(heads); }

    /** The horizontal stack as an image (C, H, W), before the output head. */
    public static StackOutput stackOutput() { return new StackOutput(); }
}
