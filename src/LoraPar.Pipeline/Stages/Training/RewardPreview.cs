using LoraPar.Pipeline.Stages.Data;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// The manifest's own rewards (<c>[[rl.own_rewards]]</c>) tried on its own examples before anything runs: each of the first
/// <see cref="Examples"/> training answers is scored as if it were a completion of its own question. A gold answer should get
/// every correctness reward in full; one that gets 0 points at a wrong answer_regex or pattern (the load warns). A choice
/// reward with an <c>options_column</c> grades each answer among its own row's options.
/// </summary>
public static class RewardPreview
{
    /// <summary>Training answers tried.</summary>
    public const int Examples = 3;

    /// <summary>One training answer's value under each reward, in the manifest's order.</summary>
    public sealed record Row(string Id, IReadOnlyList<double> Values);

    /// <summary>
    /// The values of <paramref name="rewards"/> on the first <see cref="Examples"/> of <paramref name="rows"/> (each answer
    /// against itself, among the row's <paramref name="options"/>).
    /// </summary>
    public static IReadOnlyList<Row> Of(IReadOnlyList<OwnReward> rewards, IReadOnlyList<DatasetRow> rows, RewardOptions.ByRow options)
    {
        var set = new OwnRewards(rewards);
        return rows.Take(Examples).Select(r =>
        {
            var scores = set.Score([r.Answer], [new GrpoExample(r.Question, r.Answer, options.Of(r.Id))]);
            return new Row(r.Id, set.Names.Select(n => scores.PerFunction[n][0]).ToList());
        }).ToList();
    }

    /// <summary>The lines <c>run --dry-run</c> prints: a header naming the rewards, then one line per training answer.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<OwnReward> rewards, IReadOnlyList<Row> rows)
    {
        var names = OwnRewards.LogNames(rewards);
        var lines = new List<string> { $"rl.own_rewards on the first {rows.Count} training answers (each scored as its own completion):" };
        lines.AddRange(rows.Select(r => $"  {r.Id}: " + string.Join("  ", names.Select((n, i) =>
            $"{n} {r.Values[i].ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}/{rewards[i].Weight.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"))));
        return lines;
    }
}
