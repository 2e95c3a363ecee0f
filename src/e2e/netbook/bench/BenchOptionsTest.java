package netbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./netbook bench}'s command line: a typo is an error naming the option, never a run of minutes. */
class BenchOptionsTest {
    @Test
    void optionsAreRead() {
        Bench.Options o = Bench.Options.parse(List.of("--full", "--rounds", "3", "--only", "host-batch"));
        assertEquals(new Bench.Options(true, 3, "host-batch", false, false), o);
        assertEquals(new Bench.Options(false, 5, null, false, false), Bench.Options.parse(List.of()));
        assertTrue(Bench.Options.parse(List.of("--help")).help());
        assertTrue(Bench.Options.parse(List.of("-h")).help());
    }

    @Test
    void unknownOptionsAndSectionsAreRefusedByName() {
        assertEquals("unknown option --fulll", assertThrows(IllegalArgumentException.class,
                () -> Bench.Options.parse(List.of("--fulll"))).getMessage());
        String section = assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--only", "resnet18"))).getMessage();
        assertTrue(section.startsWith("--only resnet18: no such section") && section.contains("host-batch"), section);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--only")))
                .getMessage().startsWith("--only needs a section"));
        assertEquals("--rounds needs a number, got 'x'", assertThrows(IllegalArgumentException.class,
                () -> Bench.Options.parse(List.of("--rounds", "x"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(List.of("--rounds", "1")))
                .getMessage().startsWith("--rounds must be at least 2"));
        assertEquals("--rounds needs a number", assertThrows(IllegalArgumentException.class,
                () -> Bench.Options.parse(List.of("--rounds"))).getMessage());
    }
}
