using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class FleissKappaTests
{
    [Fact]
    public void Matches_the_textbook_example_of_fourteen_raters()
    {
        // Fleiss (1971) as worked on Wikipedia: 10 items, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        Assert.Equal(0.20993, FleissKappa.Compute(counts), 5);
    }

    [Fact]
    public void Three_teachers_two_systems_by_hand()
    {
        // Items (S1, S2 votes): (3,0) (0,3) (2,1) (1,2).
        // P_i = (Σ n² − 3) / 6: 1, 1, 1/3, 1/3 → P̄ = 2/3. p = (6/12, 6/12) → P̄e = 1/2. κ = (2/3 − 1/2) / (1/2) = 1/3.
        int[][] counts = [[3, 0], [0, 3], [2, 1], [1, 2]];
        Assert.Equal(1.0 / 3, FleissKappa.Compute(counts), 12);
    }

    [Fact]
    public void Perfect_agreement_on_both_systems_is_one()
    {
        int[][] counts = [[5, 0], [0, 5], [5, 0]];
        Assert.Equal(1.0, FleissKappa.Compute(counts), 12);
    }

    [Fact]
    public void Systematic_disagreement_is_negative()
    {
        // Two raters always disagree: P̄ = 0, P̄e = 1/2, κ = −1.
        int[][] counts = [[1, 1], [1, 1]];
        Assert.Equal(-1.0, FleissKappa.Compute(counts), 12);
    }

    [Fact]
    public void Everyone_picking_one_category_leaves_kappa_undefined()
    {
        int[][] counts = [[3, 0], [3, 0]];
        Assert.True(double.IsNaN(FleissKappa.Compute(counts)));
    }

    [Fact]
    public void Unequal_rater_counts_and_single_raters_are_rejected()
    {
        int[][] unequal = [[2, 1], [1, 1]];
        int[][] single = [[1, 0]];
        Assert.Throws<ArgumentException>(() => FleissKappa.Compute(unequal));
        Assert.Throws<ArgumentException>(() => FleissKappa.Compute(single));
    }
}
