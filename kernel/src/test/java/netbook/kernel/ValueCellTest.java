package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueCellTest {
    @Test
    void valuesAreDeclaredAsObjectsWithTheParenthesisOnItsOwnLine() {
        assertEquals("Object $netbookValue = (1 + 1\n);", ValueCell.declaration("1 + 1", false));
        assertEquals("Object $netbookValue = (net.summary() // the table\n);", ValueCell.declaration("net.summary() // the table", false));
        assertEquals("Object $netbookValue = (a <= b && c >= d && e != f && g == h\n);", ValueCell.declaration("a <= b && c >= d && e != f && g == h;", true));
        assertEquals("Object $netbookValue = (list.stream().map(x -> x = 1)\n);", ValueCell.declaration("list.stream().map(x -> x = 1)", false),
                "an assignment inside brackets is part of the value");
        assertEquals("Object $netbookValue = (\"a = b\" + 'c'\n);", ValueCell.declaration("\"a = b\" + 'c'", false));
    }

    @Test
    void assignmentsStatementsAndDeclarationsKeepJShellsOwnRoad() {
        for (String s : List.of("x = 3", "x += 3", "x <<= 1", "x >>= 1", "x >>>= 1", "int x = 2", "var t = Table.create()",
                "List<String> names = List.of()", "import java.util.*", "if (a) b();", "for (int i = 0; i < 3; i++) f(i);",
                "{ f(); }", "class A {}", "void f() {}", "int f() { return 1; }", "new Object() { }", "@Deprecated class B {}",
                "return 1", "// only a comment", "f(\"unclosed", "(a", "a)")) {
            assertNull(ValueCell.declaration(s, false), s);
        }
    }

    @Test
    void aCallWrittenAsAStatementIsLikelyVoidSoItIsNotWrapped() {
        assertNull(ValueCell.declaration("System.out.println(x);", true));
        assertEquals("Object $netbookValue = (net.summary()\n);", ValueCell.declaration("net.summary()", false));
        assertEquals("Object $netbookValue = (a + b\n);", ValueCell.declaration("a + b;", true), "not a call: no void to fear");
    }
}
