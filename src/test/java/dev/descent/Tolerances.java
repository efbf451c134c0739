package dev.descent;

/** Named tolerances, per data type, for every numerical assertion in the suite. */
public final class Tolerances {
    private Tolerances() {
    }

    /** Two float64 computations of the same quantity by different operation orders. */
    public static final double ROUNDING_F64 = 1e-12;
    /** Two float32 computations of the same quantity by different operation orders (relative). */
    public static final double ROUNDING_F32 = 1e-5;
    /** Central finite differences in float64 with step {@link #FD_STEP}: truncation error O(h²). */
    public static final double FINITE_DIFF_F64 = 1e-7;
    public static final double FD_STEP = 1e-5;
    /** SGD's distance to the least-squares solution after convergence on the seeded problems. */
    public static final double SGD_TO_LSQ_F64 = 5e-3;
    public static final double SGD_TO_LSQ_F32 = 5e-3;
    /**
     * Eigenvalues of the same float64 Gram matrix by two LAPACK builds (ours, numpy's), relative to λmax:
     * both are backward stable, |Δλ| ≲ d·ε·λmax.
     */
    public static final double EIGEN_F64 = 1e-12;
    /**
     * Least-squares solutions by two methods or builds, relative to ‖θ‖: the forward error is about
     * κ([X 1])·ε for the SVD and κ([X 1])²·ε ≤ 1e-8 for the Cholesky path (descent keeps rcond(A) ≥ 1e-8).
     */
    public static final double LEAST_SQUARES_F64 = 1e-8;
    /** Engine vs DL4J after 5 epochs in float64 (issue 4's bound). */
    public static final double PARITY_F64 = 1e-12;
    /** Engine vs DL4J after 5 epochs in float32: max |Δθ| relative to max |θ|. */
    public static final double PARITY_F32_RELATIVE = 1e-5;
}
