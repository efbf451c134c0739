package dev.descent.data;

import org.nd4j.linalg.api.buffer.DataType;

/** A source that reads through another: its shape and dtype are the other's (rows may differ). Closing it closes nothing. */
abstract class RowSourceView implements RowSource {
    final RowSource src;

    RowSourceView(RowSource src) {
        this.src = src;
    }

    @Override
    public long rows() {
        return src.rows();
    }

    @Override
    public int inputs() {
        return src.inputs();
    }

    @Override
    public int outputs() {
        return src.outputs();
    }

    @Override
    public DataType dataType() {
        return src.dataType();
    }

    @Override
    public void close() {
    }
}
