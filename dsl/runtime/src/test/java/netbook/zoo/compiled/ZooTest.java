package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.assertCompilesAndRuns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.dsl.SpecJson;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ZooTest {
    @Test
    void everyReferenceCountMatchesExactly() {
        assertEquals(List.of(), Zoo.mismatches());
        Table t = Zoo.table();
        int withReference = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            if (!t.longColumn("reference_params").isMissing(r)) {
                withReference++;
                assertTrue(t.booleanColumn("match").get(r), t.stringColumn("model").get(r));
                assertEquals(t.longColumn("reference_params").get(r), t.longColumn("params").get(r));
            }
        }
        assertEquals(26, withReference); // 25 CNNs and rosinality's VQ-VAE-2 (src/docs/references.md sections 1 and 2)
    }

    @Test
    void everyPublishedGmacsFigureIsMetAsPrintedOrWithinTimmsCounting() {
        Table t = Zoo.table();
        int checked = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            if (!t.doubleColumn("reference_gmacs").isMissing(r)) {
                double ref = t.doubleColumn("reference_gmacs").get(r);
                double ours = t.doubleColumn("macs_g").get(r);
                String model = t.stringColumn("model").get(r);
                if (t.stringColumn("source").get(r).contains("GMACs timm")) {
                    assertTrue(Math.abs(ours - ref) / ref < 0.0025, model + ": " + ours + " vs timm's " + ref);
                } else {
                    ZooAssert.assertGmacsAsPrinted(model, ours, ref);
                }
                checked++;
            }
        }
        assertEquals(20, checked, "every model with a published GMACs figure");
    }

    @Test
    void theTableHasOneRowPerModelAndTheDocumentedColumns() {
        Table t = Zoo.table();
        assertEquals(List.of("model", "params", "reference_params", "match", "macs_g", "reference_gmacs", "input", "output", "source"),
                t.columnNames());
        assertEquals(Zoo.names(), t.stringColumn("model").asList());
        int row = Zoo.names().indexOf("inception-v3-aux");
        assertEquals("(N, 3, 299, 299)", t.stringColumn("input").get(row));
        assertEquals("(N, 1000)", t.stringColumn("output").get(row));
    }

    @Test
    void theRegistryHasEveryFamilyAtFullSizeAndSmall() {
        for (String name : List.of("alexnet", "alexnet-original", "zfnet", "vgg11", "vgg16-bn", "vgg19-bn", "googlenet",
                "googlenet-aux", "googlenet-5x5", "resnet18", "resnet50", "resnet152", "inception-v3", "inception-v3-aux",
                "inception-v4", "inception-resnet-v2", "alexnet-small", "vgg11-bn-small", "googlenet-small",
                "resnet18-small", "inception-v3-small", "inception-v4-small", "inception-resnet-v2-small")) {
            assertTrue(Zoo.names().contains(name), name);
        }
    }

    @Test
    void smallVariantsTakeFashionMnistAndStayUnder30MegaMacs() {
        for (String name : Zoo.names()) {
            if (name.endsWith("-small")) {
                Net net = Zoo.get(name);
                assertEquals(Shape.of(1, 28, 28), net.inputShape(), name);
                assertEquals(Shape.of(10), net.outputShape(), name);
                long macs = net.summary().macs();
                assertTrue(macs < 30_000_000L, name + ": " + macs + " MACs");
                assertNull(Zoo.model(name).referenceParams(), name);
            }
        }
    }

    @Test
    void smallVariantsSurviveASpecJsonRoundTripForCheckpoints() {
        for (String name : Zoo.names()) {
            if (name.endsWith("-small")) {
                Net net = Zoo.get(name);
                Net back = SpecJson.read(SpecJson.write(net));
                assertEquals(net.summary().toString(), back.summary().toString(), name);
                assertEquals(net.auxHeads().size(), back.auxHeads().size(), name);
            }
        }
    }

    @Test
    void smallResNet18CompilesAndRuns() {
        assertCompilesAndRuns(Zoo.get("resnet18-small"));
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        NetbookException e = assertThrows(NetbookException.class, () -> Zoo.get("resnet51"));
        assertTrue(e.getMessage().startsWith("no model named 'resnet51' in the zoo; valid names: alexnet, "), e.getMessage());
        assertTrue(e.getMessage().contains("resnet50, "), e.getMessage());
    }
}
