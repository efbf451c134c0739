package dev.descent.engine;

/**
 * One epoch's figures. {@code trainLoss} is the mean of the batch losses seen during the epoch
 * (before each batch's update, the Keras/PyTorch loop convention); {@code testLoss} is the test-set MSE
 * after the epoch, NaN without a test set. {@code seconds} covers the training steps only.
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double learningRate, long steps,
        long rows, double seconds) {

    /** Training rows per second in this epoch. */
    public double samplesPerSecond() {
        return seconds > 0 ? rows / seconds : Double.POSITIVE_INFINITY;
    }
}
