using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// GRPO's rewards on one's own data, from <c>[[rl.own_rewards]]</c> (they replace the paper's GSM8K set): each reward's value
/// (its weight when the completion passes, else 0) summed. Log names are the kinds, numbered from the second of a kind on
/// (<c>numeric</c>, <c>format</c>, <c>format_2</c>). A completion counts as correct when the first correctness reward passes.
/// </summary>
public sealed class OwnRewards : IGrpoReward
{
    private readonly IReadOnlyList<(string Name, bool Correctness, Func<string, GrpoExample, double> Score)> _units;

    /// <summary>Creates the set; throws <see cref="BadInputException"/> when it is empty or a reward's settings cannot work.</summary>
    public OwnRewards(IReadOnlyList<OwnReward> rewards)
    {
        if (rewards.Count == 0) throw new BadInputException("rl.own_rewards: no reward listed, so GRPO has no signal");
        foreach (var (reward, i) in rewards.Select((r, i) => (r, i))) reward.Validated($"rl.own_rewards[{i}]");
        Names = LogNames(rewards);
        _units = rewards.Select((r, i) => (Names[i], r.MetricOf() is not null, r.Scorer())).ToList();
    }

    /// <summary>The log name of each reward, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The log names of <paramref name="rewards"/>: the kind, with <c>_2</c>, <c>_3</c>… on repeats.</summary>
    public static IReadOnlyList<string> LogNames(IReadOnlyList<OwnReward> rewards) =>
        rewards.Select((r, i) => rewards.Take(i).Count(o => o.Kind == r.Kind) is var before and > 0 ? $"{r.Name}_{before + 1}" : r.Name).ToList();

    /// <inheritdoc />
    public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
    {
        if (completions.Count != examples.Count)
            throw new ArgumentException($"{completions.Count} completions but {examples.Count} reference answers; give one per completion.", nameof(examples));
        var perFunction = new Dictionary<string, double[]>();
        var total = new double[completions.Count];
        bool[]? correct = null;
        foreach (var (name, correctness, score) in _units)
        {
            var values = completions.Select((c, i) => score(c, examples[i])).ToArray();
            for (var i = 0; i < values.Length; i++) total[i] += values[i];
            perFunction[name] = values;
            if (correctness) correct ??= values.Select(v => v > 0).ToArray();
        }
        return new RewardScores(perFunction, total, correct);
    }
}
