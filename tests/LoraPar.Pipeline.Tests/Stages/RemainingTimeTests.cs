using LoraPar.Pipeline.Progress;

namespace LoraPar.Pipeline.Tests.Stages;

/// <summary>After a resume, the remaining time comes from the units this attempt did, not from those a checkpoint held.</summary>
public sealed class RemainingTimeTests
{
    [Fact]
    public void Units_resumed_from_a_checkpoint_count_as_done_but_not_towards_the_rate()
    {
        // 60 of 100 done, 50 of them resumed: 10 units in 20 s → 2 s a unit → 40 units left take 80 s.
        Assert.Equal(TimeSpan.FromSeconds(80), RemainingTime.Estimate(60, 100, TimeSpan.FromSeconds(20), resumed: 50));
        // Counting the resumed units too would say 40 × 20 / 60 ≈ 13.3 s, six times too soon.
        Assert.Equal(TimeSpan.FromSeconds(40.0 * 20 / 60), RemainingTime.Estimate(60, 100, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void No_estimate_before_this_attempt_did_anything_or_once_it_is_done()
    {
        Assert.Null(RemainingTime.Estimate(50, 100, TimeSpan.FromSeconds(3), resumed: 50));
        Assert.Null(RemainingTime.Estimate(100, 100, TimeSpan.FromSeconds(3)));
        Assert.Equal("—", LineProgressReporter.Eta(50, 100, TimeSpan.FromSeconds(3), resumed: 50));
    }

    [Fact]
    public void A_line_reporter_resumed_at_half_shows_the_whole_count_and_the_rate_of_this_attempt_only()
    {
        var lines = new List<string>();
        using (var task = new LineProgressReporter(lines.Add, TimeSpan.Zero).Start("sft", 10))
        {
            task.Resume(5);
            task.Advance(1);
        }
        Assert.StartsWith("sft: 6/10 steps (", lines[0]);
        Assert.Equal("sft: 6/10 steps done in ", lines[^1][..24]);
    }
}
