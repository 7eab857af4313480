using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// Which GRPO reward the <c>rl</c> stage uses on a dataset, and what each row is rewarded against. The paper's rewards need a
/// gold number (GSM8K, the synthetic task): the authors' sum (<see cref="WeightedRewards"/>) against <see cref="DatasetRow.Gold"/>.
/// The paper gives no RL reward for its instruction and code data (Dolly-15K, Open-Platypus, CodeAlpaca, CodeFeedback), so
/// lorapar rewards reference overlap there (<see cref="ReferenceRewards"/>) against the row's reference response
/// (<see cref="DatasetRow.Answer"/>). No published code training set carries unit tests, so no code reward executes programs.
/// A manifest's own rewards (<c>[[rl.own_rewards]]</c>, <see cref="OwnRewards"/>) replace both, on any dataset, and are
/// scored against the row's reference answer, whose span their answer_regex reads as the eval does.
/// </summary>
public static class RlReward
{
    /// <summary>Whether <paramref name="dataset"/>'s rows carry a gold number, so the authors' rewards apply.</summary>
    public static bool HasGoldNumbers(DatasetKind dataset) => dataset is DatasetKind.Gsm8k or DatasetKind.Synthetic;

    /// <summary>The reward for <paramref name="dataset"/> with <paramref name="options"/>' <c>[rl.rewards]</c> weights and <c>rl.reward_rules</c>.</summary>
    public static IGrpoReward For(DatasetKind dataset, GrpoOptions options)
    {
        if (options.OwnRewards is { } own) return new OwnRewards(own);
        var rules = options.RulesFor(synthetic: dataset == DatasetKind.Synthetic);
        return HasGoldNumbers(dataset) ? new WeightedRewards(options.Rewards, rules) : new ReferenceRewards(options.Rewards, rules);
    }

    /// <summary>The training rows' own options for the choice rewards that read them from a column (none without such a reward).</summary>
    public static RewardOptions.ByRow RowOptions(PipelineManifest manifest)
    {
        var columns = RewardOptions.Columns(manifest.Rl.OwnRewards);
        return manifest.Data.Train is { } train ? RewardOptions.Load(train.Resolved, manifest.Data, columns) : RewardOptions.None;
    }

    /// <summary>Why <paramref name="weights"/> give <paramref name="dataset"/> no reward signal (checked at load), or null.</summary>
    public static string? Problem(DatasetKind dataset, RewardWeights weights) =>
        HasGoldNumbers(dataset) ? null : ReferenceRewards.Problem(weights);

    /// <summary>What <paramref name="row"/>'s completions are rewarded against: its gold number, or its reference response (always under own rewards).</summary>
    public static string Target(DatasetKind dataset, GrpoOptions options, DatasetRow row) =>
        HasGoldNumbers(dataset) && options.OwnRewards is null
            ? row.Gold ?? throw new BadInputException($"row {row.Id} has no gold answer: GRPO's correctness reward needs one (GSM8K-style data)")
            : row.Answer;
}
