namespace LoraPar.Pipeline.Progress;

/// <summary>
/// The bars of one stage of a sweep, named after the run (or runs) the stage belongs to: "random · sft (stage 1)"; a stage
/// shared by every run of the sweep says "all 3 runs".
/// </summary>
public sealed class RunLabelledProgress(IProgressReporter inner, string run) : IProgressReporter
{
    /// <inheritdoc />
    public IProgressTask Start(string description, long total, string unit = "steps") => inner.Start($"{run} · {description}", total, unit);

    /// <summary>
    /// The label of a stage used by <paramref name="stageRuns"/> of a sweep of <paramref name="sweepRuns"/> runs: the run's
    /// name, two names joined by "+", "all N runs", or "N runs".
    /// </summary>
    public static string Of(IReadOnlyList<string> stageRuns, int sweepRuns) => stageRuns.Count switch
    {
        1 => stageRuns[0],
        _ when stageRuns.Count == sweepRuns => $"all {sweepRuns} runs",
        2 => $"{stageRuns[0]}+{stageRuns[1]}",
        _ => $"{stageRuns.Count} runs",
    };
}
