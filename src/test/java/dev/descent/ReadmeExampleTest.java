package dev.descent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README as a reader sees it: its code fences render, and its Java example compiles and runs. */
class ReadmeExampleTest extends SeededTest {
    static final Path README = Path.of("README.md");

    @TempDir
    Path tmp;

    /** Every fence opens and closes on a line of its own, so CommonMark renders the text between as prose. */
    @Test
    void codeFencesOpenAndCloseOnLinesOfTheirOwn() throws Exception {
        List<String> lines = Files.readAllLines(README);
        boolean inside = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("```");
            if (at < 0) {
                continue;
            }
            assertEquals(0, at, "README.md:" + (i + 1) + ": a fence must start its line: " + line);
            String info = line.substring(3).strip();
            if (inside) {
                assertEquals("", info, "README.md:" + (i + 1) + ": a closing fence carries nothing after it");
            } else {
                assertTrue(info.matches("[a-z]*"), "README.md:" + (i + 1) + ": an opening fence names a language only");
            }
            inside = !inside;
        }
        assertTrue(!inside, "README.md: the last code block is never closed");
    }

    @Test
    void javaExampleCompilesAndTrainsToTheNoiseFloor() throws Exception {
        String example = javaBlock(Files.readAllLines(README));
        String source = "package readme;\n"
                + "public final class Example implements java.util.function.Supplier<Double> {\n"
                + "  public Double get() {\n" + example + "\n"
                + "    return model.mse(split.test().x(), split.test().y());\n  }\n}\n";
        Path src = tmp.resolve("readme/Example.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools)");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int rc = javac.run(null, diagnostics, diagnostics, "-d", tmp.toString(), "-cp", classpath, src.toString());
        if (rc != 0) {
            fail("the README's Java example does not compile (it must define `split` and `model`):\n" + diagnostics);
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        double mse;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Supplier<Double> run = (Supplier<Double>) loader.loadClass("readme.Example").getDeclaredConstructor().newInstance();
            mse = run.get();
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0.01, mse, 0.001, "test MSE at the noise floor (noise variance 0.1²)");
        assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("test MSE 0.010"), printed.toString(StandardCharsets.UTF_8));
    }

    /** The one ```java block's lines. */
    static String javaBlock(List<String> lines) {
        List<String> block = new ArrayList<>();
        boolean inside = false;
        int found = 0;
        for (String line : lines) {
            if (!inside && line.equals("```java")) {
                inside = true;
                found++;
            } else if (inside && line.startsWith("```")) {
                inside = false;
            } else if (inside) {
                block.add(line);
            }
        }
        assertEquals(1, found, "README.md has exactly one ```java block");
        return String.join("\n", block);
    }
}
