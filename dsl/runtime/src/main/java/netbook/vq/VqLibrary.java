package netbook.vq;

import java.util.List;
import java.util.Map;
import netbook.dsl.SpecJson;
import netbook.zoo.Zoo;

/**
 * What the VQ package adds to the engine-free modules, found by {@link java.util.ServiceLoader}:
 * its layers' names in saved specs, and rosinality's VQ-VAE-2 in the zoo.
 */
public final class VqLibrary implements SpecJson.SpecTypes, Zoo.Library {
    @Override
    public Map<String, Class<? extends Record>> types() {
        return Map.of("vq-hierarchy", VqHierarchy.class, "vq-level", Level.class,
                "vector-quantize", VectorQuantize.class, "masked-conv2d", MaskedConv2d.class,
                "gated-layer", GatedLayer.class, "causal-attention", CausalAttention.class,
                "pixelcnn-input", PixelCnnInput.class, "stack-output", StackOutput.class);
    }

    @Override
    public List<Zoo.Model> models() {
        return List.of(new Zoo.Model("vqvae2-rosinality", VqVae2::rosinality, 1_388_867L,
                "[computed] from rosinality/vq-vae-2-pytorch ef5f67c (codebooks are buffers)", null));
    }
}
