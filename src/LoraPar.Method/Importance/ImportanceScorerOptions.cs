using LoraPar.Core;

namespace LoraPar.Method.Importance;

/// <summary>
/// Settings of <see cref="ImportanceScorer"/> (immutable). Defaults follow the authors: N = 100 examples per system, max
/// length 512; the batch size changes only the speed (per-example gradients are kept either way).
/// </summary>
public sealed record ImportanceScorerOptions
{
    /// <summary>N: examples sampled per system (all of them when a split has fewer).</summary>
    public int ExamplesPerSystem { get; init; } = 100;

    /// <summary>Examples per forward/backward pass on the <see cref="GradientPath.Batched"/> path.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Maximum tokens of prompt + response; longer examples lose the end of their response.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Seed of the sample drawn from each split.</summary>
    public long Seed { get; init; }

    /// <summary>How per-example gradients are obtained.</summary>
    public GradientPath Path { get; init; } = GradientPath.Batched;

    /// <summary>Every problem with these values (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ExamplesPerSystem < 1) problems.Add($"samples_per_system = {ExamplesPerSystem}: must be at least 1");
        if (BatchSize < 1) problems.Add($"batch_size = {BatchSize}: must be at least 1");
        if (MaxLength < 2) problems.Add($"max_length = {MaxLength}: must be at least 2 (a prompt token and a response token)");
        if (!Enum.IsDefined(Path)) problems.Add($"gradient path {(int)Path} is unknown");
        return problems;
    }

    /// <summary>This instance, or a <see cref="BadInputException"/> naming every problem.</summary>
    public ImportanceScorerOptions Validated()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new BadInputException("invalid importance settings: " + string.Join("; ", problems));
    }
}
