package netbook.vq;

import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;
import netbook.dsl.spec.Sequential;

/**
 * One level of a hierarchical VQ-VAE. Its encoder reads the output of the level below (the image,
 * for the bottom level); a 1x1 conv brings that to the quantiser's D channels (for levels under
 * another, after concatenating the decoded level above, as rosinality conditions the bottom on the
 * top). A level above the bottom also has a {@code decoder} (its quantised map to the resolution of
 * the level below, for that conditioning) and an {@code upsample} (its quantised map to the bottom
 * level's resolution, for the final decoder).
 * <pre>
 * level("top").encoder(encoder(coder().stride(2))).quantize(vectorQuantize(512, 64).ema())
 *     .decoder(decoder(64, coder().stride(2))).upsample(convTranspose(64, 4).stride(2).padding(1))
 * </pre>
 */
public record Level(String name, Sequential encoder, VectorQuantize quantize, Sequential decoder, Sequential upsample) {
    public Level {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_-]+")) {
            throw new NetbookException("level name '" + name + "' is not allowed: use letters, digits, '_' or '-'");
        }
    }

    public static Level named(String name) {
        return new Level(name, null, null, null, null);
    }

    public Level encoder(Layer... layers) { return new Level(name, Sequential.of(List.of(layers)), quantize, decoder, upsample); }
    public Level quantize(VectorQuantize q) { return new Level(name, encoder, q, decoder, upsample); }
    /** Decodes this level's quantised map to the resolution of the level below (conditioning). */
    public Level decoder(Layer... layers) { return new Level(name, encoder, quantize, Sequential.of(List.of(layers)), upsample); }
    /** Brings this level's quantised map to the bottom level's resolution, for the final decoder. */
    public Level upsample(Layer... layers) { return new Level(name, encoder, quantize, decoder, Sequential.of(List.of(layers))); }
}
