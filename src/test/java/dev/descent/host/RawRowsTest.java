package dev.descent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RawRowsTest {

    @Test
    void thisJvmCopiesByAddress() {
        assertTrue(RawRows.BY_ADDRESS, "Java 17 allows sun.misc.Unsafe's memory access: the gather's fast path is on");
    }

    /** Both ways copy the same bytes: rows of 4, 8 and 400 bytes, from three chunks, to any place of a buffer. */
    @ParameterizedTest(name = "{0}-byte rows, by address {1}")
    @CsvSource({"4, true", "4, false", "8, true", "8, false", "400, true", "400, false"})
    void rowsLandWhereAskedWithTheirBytes(int rowBytes, boolean byAddress) {
        int n = 23;
        int perChunk = 10;
        ByteBuffer[] chunks = new ByteBuffer[3];
        for (int k = 0; k < 3; k++) {
            int rows = Math.min(perChunk, n - k * perChunk);
            chunks[k] = ByteBuffer.allocateDirect(rows * rowBytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < rows * rowBytes; i++) {
                chunks[k].put(i, (byte) (k * perChunk * rowBytes + i));
            }
        }
        RawRows rows = new RawRows(chunks, perChunk, rowBytes, byAddress);
        assertEquals(n, rows.rows());
        ByteBuffer dst = ByteBuffer.allocateDirect(5 * rowBytes);
        long at = RawRows.addressOf(dst);
        int[] pick = {22, 0, 9, 10, 19};
        for (int i = 0; i < pick.length; i++) {
            rows.copy(pick[i], dst, at, i * rowBytes);
        }
        for (int i = 0; i < pick.length; i++) {
            for (int j = 0; j < rowBytes; j++) {
                assertEquals((byte) (pick[i] * rowBytes + j), dst.get(i * rowBytes + j), "row " + pick[i] + " byte " + j);
            }
        }
    }

    /** A row or a destination out of range throws before any byte is written, either way. */
    @ParameterizedTest(name = "by address {0}")
    @CsvSource({"true", "false"})
    void outOfRangeThrows(boolean byAddress) {
        ByteBuffer src = ByteBuffer.allocateDirect(4 * 16);
        RawRows rows = new RawRows(new ByteBuffer[] {src}, 4, 16, byAddress);
        ByteBuffer dst = ByteBuffer.allocateDirect(32);
        long at = RawRows.addressOf(dst);
        assertThrows(IndexOutOfBoundsException.class, () -> rows.copy(4, dst, at, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> rows.copy(-1, dst, at, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> rows.copy(0, dst, at, 17));
        assertThrows(IndexOutOfBoundsException.class, () -> rows.copy(0, dst, at, -1));
        rows.copy(3, dst, at, 16); // the last row to the last place fits
    }
}
