package netbook.dsl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Saved networks name their types from an allow-list; a file cannot make the JVM load a class. */
class SpecJsonTest {
    /** Its static initialiser leaves a mark: if reading a spec ever initialised it, the mark would be there. */
    static final class Tripwire {
        static {
            System.setProperty("netbook.tripwire", "initialised");
        }
    }

    @Test
    void typesAreShortNamesAndAClassNamedInAFileIsNeverLoaded() {
        Net net = Net.input(4).named("small").add(linear(8), relu(), linear(2));
        String json = SpecJson.write(net);
        assertTrue(json.contains("\"@type\": \"linear\""), json);
        assertTrue(!json.contains("netbook.dsl.spec"), json);
        assertEquals(net.body(), SpecJson.read(json).body());

        String hostile = json.replace("\"@type\": \"linear\"", "\"@type\": \"" + Tripwire.class.getName() + "\"");
        String msg = assertThrows(NetbookException.class, () -> SpecJson.read(hostile)).getMessage();
        assertTrue(msg.startsWith("body.fc1: unknown spec type \"netbook.dsl.SpecJsonTest$Tripwire\""), msg);
        assertNull(System.getProperty("netbook.tripwire"), "the named class was not initialised");
    }

    @Test
    void aSpecOfTheFirstFormatWithClassNamesStillLoads() {
        // Written by the format before short names (the state of checkpoints saved until 2026-11-30).
        String old = """
                {"format": "netbook-spec/1", "name": "old", "input": [4],
                 "body": {"@type": "netbook.dsl.spec.Sequential", "items": [
                   {"@type": "netbook.dsl.Node", "name": "fc", "layer": {"@type": "netbook.dsl.spec.Linear", "units": 3, "bias": true}}]}}
                """;
        Net net = SpecJson.read(old);
        assertEquals(Net.input(4).named("old").add(linear(3).named("fc")).body(), net.body());
    }

    @Test
    void damagedSpecsNameWhereTheyAreDamaged() {
        String json = SpecJson.write(Net.input(4).named("n").add(linear(8), linear(2)));
        String noType = json.replaceFirst("\"@type\": \"linear\",", "");
        String msg = assertThrows(NetbookException.class, () -> SpecJson.read(noType)).getMessage();
        assertTrue(msg.startsWith("body.fc1: expected a spec object with an \"@type\""), msg);
        String badNumber = json.replaceFirst("\"units\": 8", "\"units\": \"eight\"");
        msg = assertThrows(NetbookException.class, () -> SpecJson.read(badNumber)).getMessage();
        assertTrue(msg.startsWith("body.fc1: expected int, received \"eight\""), msg);
        msg = assertThrows(NetbookException.class, () -> SpecJson.read("{\"format\": \"netbook-spec/1\", \"name\": \"x\"}")).getMessage();
        assertEquals("network spec has no \"input\"; it is damaged", msg);
    }
}
