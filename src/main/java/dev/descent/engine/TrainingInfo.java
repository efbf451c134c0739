package dev.descent.engine;

import org.nd4j.linalg.api.buffer.DataType;

/** What a run is about to do, for listeners. */
public record TrainingInfo(long trainRows, long testRows, int inputs, int outputs, DataType dataType,
        int batchSize, int batchesPerEpoch, int epochs, String optimizer, KernelKind kernel) {
}
