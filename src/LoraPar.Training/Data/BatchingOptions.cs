using LoraPar.Core.Settings;

namespace LoraPar.Training.Data;

/// <summary>How examples are grouped into micro-batches (immutable; the SFT options carry one).</summary>
public sealed record BatchingOptions : ISettings
{
    /// <summary>Rows per micro-batch (the authors: 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>
    /// Group examples of similar length into the same micro-batch (Hugging Face's <c>group_by_length</c>): the shuffled
    /// examples are cut into mega-batches of <see cref="MegaBatchMultiplier"/> × <see cref="BatchSize"/>, each sorted by
    /// length, so little padding is computed; the micro-batches are then shuffled, so the order stays random.
    /// </summary>
    public bool GroupByLength { get; init; } = true;

    /// <summary>Mega-batch size in micro-batches for <see cref="GroupByLength"/> (Hugging Face: 50).</summary>
    public int MegaBatchMultiplier { get; init; } = 50;

    /// <summary>
    /// Concatenate shuffled examples into rows of up to <see cref="MaxLength"/> tokens (classic packing: a later example
    /// in a row attends to the earlier ones, positions run on; the loss still covers only response tokens).
    /// </summary>
    public bool Packing { get; init; }

    /// <summary>The longest row in tokens (the authors: 512).</summary>
    public int MaxLength { get; init; } = 512;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(BatchSize >= 1, "batch_size", $"{BatchSize}: must be at least 1");
        p.Require(MegaBatchMultiplier >= 1, "mega_batch_multiplier", $"{MegaBatchMultiplier}: must be at least 1");
        p.Require(MaxLength >= 2, "max_length", $"{MaxLength}: must be at least 2 (a prompt token and an answer token)");
        return p;
    }
}
