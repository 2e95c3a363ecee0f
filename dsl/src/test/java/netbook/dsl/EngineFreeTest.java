package netbook.dsl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netbook.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * The DSL module runs without an engine: no DJL class is on its class path, and still specs,
 * summaries, saved specs, the zoo table and diagrams work.
 */
class EngineFreeTest {
    @Test
    void noEngineClassIsReachable() {
        for (String engineClass : List.of("ai.djl.nn.Block", "ai.djl.ndarray.NDArray", "ai.djl.pytorch.engine.PtEngine")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(engineClass, false, getClass().getClassLoader()),
                    engineClass + " is on the DSL module's class path");
        }
    }

    @Test
    void specsSummariesAndTheZooWorkWithoutTheEngine() {
        Net net = Net.input(1, 28, 28).add(conv(8, 3).padding(1), relu(), maxPool(2), flatten(), linear(10));
        assertEquals(8 * 9 + 8 + 8 * 14 * 14 * 10 + 10, net.summary().params());
        assertEquals(net.body(), SpecJson.read(SpecJson.write(net)).body());
        assertEquals(11_689_512L, Zoo.get("resnet18").summary().params());
        // Without the runtime, the VQ models (runtime code) are simply not in the zoo.
        assertTrue(Zoo.names().contains("googlenet") && !Zoo.names().contains("vqvae2-rosinality"), Zoo.names().toString());
    }
}
