package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    static Session session;

    @BeforeAll
    static void start() {
        session = Session.start();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void aSessionShowsTheSameValuesAndNothingMoreThroughTheDeclaration() throws CellError {
        assertEquals(2, session.eval("1 + 1", "In[1]", 1).value());
        assertEquals("abc", session.eval("\"ab\" + \"c\"", "In[2]", 1).value());
        assertEquals(List.of(1, 2), session.eval("List.of(1, 2)", "In[3]", 1).value());
        session.eval("int x = 1;", "In[4]", 1);
        Session.Result assign = session.eval("x = 3", "In[5]", 1);
        assertTrue(!assign.hasValue() || assign.value() == null, "an assignment shows nothing, as in JShell: " + assign);
        assertEquals(3, session.eval("x", "In[6]", 1).value());
        // a void call without ';' falls back to JShell's road: no value, no error
        Session.Result voidCall = session.eval("System.out.print(\"\")", "In[7]", 1);
        assertNull(voidCall.value());
        // null is a value that shows nothing
        assertNull(session.eval("(String) null", "In[8]", 1).value());
        List<String> names = session.variables().stream().map(v -> v[0]).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("$")), "no value variable is left behind: " + names);
    }

    @Test
    void errorsReadAsJShellsOwnWithTheCellsLine() {
        CellError compile = assertThrows(CellError.class, () -> session.eval("int y = 1;\nundefinedName + 1", "In[9]", 1));
        String compileTrace = String.join("\n", compile.traceback());
        assertTrue(compileTrace.contains("undefinedName") && compileTrace.contains("In[9] line 2, column 1"), compileTrace);
        CellError runtime = assertThrows(CellError.class, () -> session.eval("\n\nInteger.parseInt(\"x\")", "In[10]", 1));
        assertTrue(runtime.getMessage().contains("NumberFormatException"), runtime.getMessage());
        assertTrue(String.join("\n", runtime.traceback()).contains("    at In[10] line 3"), String.join("\n", runtime.traceback()));
        List<String> names = session.variables().stream().map(v -> v[0]).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("$")), names.toString());
    }
}
